package dev.flywheel.core.model;

import java.util.List;

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
}
