package dev.flywheel.core.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an {@code algorithm: onnx} candidate imports a model trained elsewhere: the file, which model
 * inputs (columns after the feature pipeline, such as {@code age} or {@code plan=basic}) fill each
 * graph input, and how to read the graph's output. The spec parser checks the syntax and that the
 * file exists; the ML module checks the mapping against the graph itself before any training.
 *
 * @param model the {@code .onnx} file, resolved against the spec's folder
 * @param inputs for each graph input by name, the columns that fill it, in order; empty means the
 *     graph's only input takes every model input in pipeline order
 * @param output the graph output to read; null means the only float or double tensor output
 * @param classes a classifier's label for each column of the probability output, in order; empty
 *     means the task's labels in sorted order
 */
public record OnnxSpec(
    Path model, Map<String, List<String>> inputs, String output, List<String> classes) {

  public OnnxSpec {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    inputs.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    inputs = Collections.unmodifiableMap(copy);
    classes = List.copyOf(classes);
  }
}
