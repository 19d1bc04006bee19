package dev.flywheel.core.model;

import java.util.List;
import java.util.Map;

/**
 * Reads a model back from its serialised bytes. The ML module provides the implementation; core
 * reads bundles through this interface so it stays free of ML frameworks.
 */
@FunctionalInterface
public interface ModelLoader {

  /**
   * @param algorithm the algorithm recorded in the manifest
   * @param task the task
   * @param classes the class labels of a classifier, in output order; empty for regression
   * @param width the number of inputs
   * @param bytes the bytes {@link Model#toBytes()} produced
   */
  Model load(Algorithm algorithm, Task task, List<String> classes, int width, byte[] bytes);

  /**
   * As {@link #load(Algorithm, Task, List, int, byte[])}, for a model that stored {@link
   * Model#attachments()} beside its model file. Bundles call this one; the default ignores the
   * attachments, which suits every model that has none.
   *
   * @param attachments the bundle's other files by name (not the manifest, pipeline, profile or
   *     model file), already verified against the manifest
   */
  default Model load(
      Algorithm algorithm,
      Task task,
      List<String> classes,
      int width,
      byte[] bytes,
      Map<String, byte[]> attachments) {
    return load(algorithm, task, classes, width, bytes);
  }
}
