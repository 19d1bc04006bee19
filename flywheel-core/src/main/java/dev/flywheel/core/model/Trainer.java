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
}
