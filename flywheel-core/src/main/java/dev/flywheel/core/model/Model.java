package dev.flywheel.core.model;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A trained model over the numeric vectors a {@code FeaturePipeline} produces. Models are immutable
 * and safe to call from many threads at once.
 *
 * <p>Each model serialises itself to bytes that its algorithm's {@link ModelLoader} reads back;
 * those bytes are stored in the bundle under {@link #fileName()}.
 */
public interface Model {

  Algorithm algorithm();

  Task task();

  /** How many inputs each vector must have. */
  int width();

  /** Predicts a batch of vectors. */
  Predictions predict(double[][] x);

  /** The model's own serialised form. The same model gives the same bytes. */
  byte[] toBytes();

  /** The file name inside a bundle, such as {@code model.json} or {@code model.ubj}. */
  String fileName();

  /**
   * Further files this model stores in the bundle beside {@link #fileName()}, by name, such as the
   * input mapping of an imported ONNX graph (whose own bytes stay verbatim in the model file). The
   * names must not start with {@code model.}; the loader gets them back through {@link
   * ModelLoader#load(Algorithm, Task, java.util.List, int, byte[], Map)}. Most models have none.
   */
  default Map<String, byte[]> attachments() {
    return Map.of();
  }

  /**
   * For a model that stopped early, the 0-based boosting round that scored best on the held-out
   * rows; the model keeps rounds 0 to it and no more. Empty for models that did not stop early, and
   * for models read back from bytes.
   */
  default OptionalInt bestIteration() {
    return OptionalInt.empty();
  }

  /**
   * Metrics recorded step by step while training, by name, one value per step in order, such as
   * {@code validation_logloss} per boosting round of trees that stopped early (step i is round i,
   * 0-based). Empty for models that record none, and for models read back from bytes: it is a
   * record of the training, not part of the model.
   */
  default Map<String, List<Double>> history() {
    return Map.of();
  }
}
