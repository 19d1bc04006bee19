package dev.flywheel.core.model;

import java.util.Map;

/** Trains one algorithm. Implementations live in the ML module, one per {@link Algorithm}. */
public interface Trainer {

  Algorithm algorithm();

  /**
   * Trains a model.
   *
   * @param data the training split, already transformed
   * @param params every parameter of the algorithm, defaults filled in, already validated
   * @param options seed and threads
   */
  Model train(TrainingSet data, Map<String, Number> params, TrainOptions options);

  /**
   * Trains a model with held-out rows that the trainer may watch, for early stopping. They must not
   * be rows it trains on. Trainers that do not stop early ignore them; this default does.
   *
   * @param data the training rows, already transformed
   * @param validation held-out rows, already transformed
   * @param params every parameter of the algorithm, defaults filled in, already validated
   * @param options seed and threads
   */
  default Model train(
      TrainingSet data, TrainingSet validation, Map<String, Number> params, TrainOptions options) {
    return train(data, params, options);
  }
}
