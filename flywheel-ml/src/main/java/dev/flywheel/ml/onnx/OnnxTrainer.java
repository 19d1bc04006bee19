package dev.flywheel.ml.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.Trainer;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.core.spec.CandidateSpec;
import dev.flywheel.core.spec.OnnxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The "trainer" of an {@code algorithm: onnx} candidate: it trains nothing. Construction reads the
 * file and checks the candidate's mapping against the graph's declared inputs and outputs; {@link
 * #train} checks the mapped columns against the feature pipeline's, binds them, and runs the graph
 * once to prove the output has the shape the task needs. Every problem is reported at once, naming
 * the graph input or output, what it expects and how to fix the spec.
 */
public final class OnnxTrainer implements Trainer {

  private final String candidate;
  private final OnnxSpec spec;
  private final byte[] graph;
  private final Map<String, NodeInfo> inputs;
  private final Map<String, NodeInfo> outputs;

  /**
   * Reads and checks the candidate's graph.
   *
   * @throws BadInputException when the file is missing or unreadable, is not a graph ONNX Runtime
   *     loads, or does not fit the candidate's mapping
   */
  public OnnxTrainer(CandidateSpec candidate) {
    if (candidate.onnx() == null) {
      throw new IllegalArgumentException(candidate.name() + " is not an onnx candidate");
    }
    this.candidate = candidate.name();
    this.spec = candidate.onnx();
    try {
      this.graph = Files.readAllBytes(spec.model());
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          where()
              + ": the file does not exist. Fix model: in the spec; a relative path is resolved"
              + " against the spec's folder.",
          e);
    } catch (IOException e) {
      throw new BadInputException(where() + ": the file cannot be read: " + e.getMessage(), e);
    }
    try (OrtSession session = Onnx.open(graph)) {
      this.inputs = new LinkedHashMap<>(session.getInputInfo());
      this.outputs = new LinkedHashMap<>(session.getOutputInfo());
    } catch (OrtException e) {
      throw new BadInputException(
          where()
              + ": ONNX Runtime 1.28 cannot load it ("
              + e.getMessage()
              + "). Check that model: names an ONNX file, exported with opset 21 or older.",
          e);
    }
    List<String> problems = new ArrayList<>();
    checkInputs(problems);
    outputName(problems);
    fail(problems);
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.ONNX;
  }

  /** Binds the mapping to the pipeline's columns and returns the imported model, untrained. */
  @Override
  public Model train(TrainingSet data, Map<String, Number> params, TrainOptions options) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    for (int j = 0; j < data.featureNames().size(); j++) {
      position.put(data.featureNames().get(j), j);
    }
    List<OnnxModel.Binding> bindings = new ArrayList<>();
    boolean rowByRow = false;
    for (var e : mapping(data.featureNames()).entrySet()) {
      TensorInfo t = (TensorInfo) inputs.get(e.getKey()).getInfo();
      List<String> unknown = new ArrayList<>();
      int[] indices = new int[e.getValue().size()];
      for (int j = 0; j < indices.length; j++) {
        Integer p = position.get(e.getValue().get(j));
        if (p == null) {
          unknown.add(e.getValue().get(j));
        } else {
          indices[j] = p;
        }
      }
      if (!unknown.isEmpty()) {
        problems.add(
            "inputs."
                + e.getKey()
                + " lists "
                + quoted(unknown)
                + ", not "
                + (unknown.size() == 1 ? "a model input" : "model inputs")
                + ". The model inputs are the feature pipeline's columns: "
                + String.join(", ", data.featureNames())
                + " (a categorical column c becomes c=value per training category).");
        continue;
      }
      long[] shape = t.getShape();
      long declared = shape.length == 1 ? 1 : shape[1];
      if (spec.inputs().isEmpty() && declared >= 0 && declared != indices.length) {
        problems.add(
            "graph input '"
                + e.getKey()
                + "' is "
                + Onnx.describe(inputs.get(e.getKey()))
                + ", but the feature pipeline makes "
                + indices.length
                + " model inputs: "
                + String.join(", ", data.featureNames())
                + ". Say which feed it, in order, under inputs:, e.g. inputs: {"
                + e.getKey()
                + ": [age, plan=basic]}.");
        continue;
      }
      rowByRow |= shape[0] == 1;
      bindings.add(
          new OnnxModel.Binding(e.getKey(), e.getValue(), indices, Onnx.typeName(t), shape.length));
    }
    String output = outputName(problems);
    List<String> classes = data.classes();
    int[] columns = null;
    if (data.task() == Task.CLASSIFICATION) {
      List<String> onnxClasses = spec.classes().isEmpty() ? data.classes() : spec.classes();
      if (!new TreeSet<>(onnxClasses).equals(new TreeSet<>(data.classes()))) {
        problems.add(
            "classes "
                + onnxClasses
                + " are not the labels of the target, "
                + data.classes()
                + ". List the label of each column of output '"
                + output
                + "', in order, under classes:; it must hold every label of the target, once.");
      }
      int width = output == null ? -1 : outputWidth(outputs.get(output));
      if (width == 1 && onnxClasses.size() == 2) {
        columns = null; // one column: the probability of onnxClasses[1]
        if (!onnxClasses.get(1).equals(data.classes().get(1))) {
          problems.add(
              "output '"
                  + output
                  + "' has one column, read as the probability of the second of classes ("
                  + onnxClasses.get(1)
                  + "); Flywheel needs it to be the probability of '"
                  + data.classes().get(1)
                  + "'. Swap the order under classes:, or re-export the graph.");
        }
      } else {
        if (width >= 0 && width != onnxClasses.size()) {
          problems.add(
              "output '"
                  + output
                  + "' is "
                  + Onnx.describe(outputs.get(output))
                  + ", but there are "
                  + onnxClasses.size()
                  + " classes "
                  + onnxClasses
                  + ". A classifier's output must be its probabilities, one column per class;"
                  + " pick another with output:, or fix classes:.");
        }
        columns = new int[data.classes().size()];
        for (int k = 0; k < columns.length; k++) {
          columns[k] = onnxClasses.indexOf(data.classes().get(k));
        }
      }
    } else if (output != null) {
      int width = outputWidth(outputs.get(output));
      if (width > 1) {
        problems.add(
            "output '"
                + output
                + "' is "
                + Onnx.describe(outputs.get(output))
                + "; a regression output must have one value per row, [N] or [N, 1]. Pick another"
                + " with output:.");
      }
    }
    fail(problems);
    OnnxModel.Plan plan =
        new OnnxModel.Plan(data.task(), data.width(), bindings, output, classes, columns, rowByRow);
    OnnxModel model;
    try {
      model = new OnnxModel(graph, plan);
    } catch (OrtException e) {
      throw new BadInputException(where() + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
    }
    // One trial run on real rows, so a graph whose output shape is only known at run time fails
    // here, with the candidate named, rather than while scoring or serving.
    try {
      Predictions p = model.predict(Arrays.copyOf(data.x(), Math.min(2, data.rows())));
      if (p instanceof Predictions.Probabilities probs && probs.size() > 0) {
        double[] row = probs.probabilities()[0];
        double sum = Arrays.stream(row).sum();
        boolean inRange = Arrays.stream(row).allMatch(v -> v >= -1e-6 && v <= 1 + 1e-6);
        if (Math.abs(sum - 1) > 1e-3 || !inRange) {
          throw new IllegalStateException(
              "output '"
                  + output
                  + "' is not a probability distribution (a row is "
                  + Arrays.toString(row)
                  + "). Pick the probabilities with output:, not scores or logits");
        }
      }
    } catch (IllegalStateException e) {
      model.close();
      throw new BadInputException(where() + ": " + e.getMessage() + ".", e);
    }
    return model;
  }

  /** Each graph input's columns: as the spec maps them, or every column for a lone input. */
  private Map<String, List<String>> mapping(List<String> featureNames) {
    if (!spec.inputs().isEmpty()) {
      return spec.inputs();
    }
    return Map.of(inputs.keySet().iterator().next(), featureNames);
  }

  private void checkInputs(List<String> problems) {
    if (spec.inputs().isEmpty() && inputs.size() != 1) {
      problems.add(
          "the graph has "
              + inputs.size()
              + " inputs, "
              + signature(inputs)
              + "; map each one to its columns under inputs:, e.g. inputs: {"
              + inputs.keySet().iterator().next()
              + ": [age, plan=basic]}.");
      return;
    }
    for (String name : spec.inputs().keySet()) {
      if (!inputs.containsKey(name)) {
        problems.add(
            "inputs names '"
                + name
                + "', which is not an input of the graph; its inputs are "
                + signature(inputs)
                + ". Fix the name under inputs:.");
      }
    }
    for (var e : inputs.entrySet()) {
      String name = e.getKey();
      List<String> columns = spec.inputs().get(name);
      if (columns == null && !spec.inputs().isEmpty()) {
        problems.add(
            "graph input '"
                + name
                + "' ("
                + Onnx.describe(e.getValue())
                + ") is not mapped. Add it under inputs:, e.g. "
                + name
                + ": [age, plan=basic].");
        continue;
      }
      String expected = "a float or double tensor [N] or [N, columns]";
      if (!Onnx.isRealTensor(e.getValue())) {
        problems.add(
            "graph input '"
                + name
                + "' is "
                + Onnx.describe(e.getValue())
                + "; Flywheel feeds "
                + expected
                + " (numbers after imputation, and one-hot columns such as plan=basic for"
                + " categories). Re-export the graph with float inputs.");
        continue;
      }
      TensorInfo t = (TensorInfo) e.getValue().getInfo();
      long[] shape = t.getShape();
      if (shape.length < 1 || shape.length > 2) {
        problems.add(
            "graph input '"
                + name
                + "' is "
                + Onnx.describe(e.getValue())
                + "; Flywheel feeds "
                + expected
                + ". Re-export the graph with a batch dimension first.");
        continue;
      }
      if (shape[0] > 1) {
        problems.add(
            "graph input '"
                + name
                + "' is "
                + Onnx.describe(e.getValue())
                + ", a fixed batch of "
                + shape[0]
                + " rows; Flywheel feeds any number of rows. Re-export it with a dynamic (or 1)"
                + " batch dimension.");
      }
      if (columns == null) {
        continue; // the default mapping: its width is checked against the pipeline in train
      }
      long declared = shape.length == 1 ? 1 : shape[1];
      if (declared >= 0 && declared != columns.size()) {
        problems.add(
            "graph input '"
                + name
                + "' is "
                + Onnx.describe(e.getValue())
                + ", "
                + declared
                + " column"
                + (declared == 1 ? "" : "s")
                + " per row, but inputs."
                + name
                + " lists "
                + columns.size()
                + ": "
                + columns
                + ". List exactly "
                + declared
                + ", in the order the graph expects.");
      }
    }
    Set<String> seen = new LinkedHashSet<>();
    for (var e : spec.inputs().entrySet()) {
      for (String c : e.getValue()) {
        if (e.getValue().indexOf(c) != e.getValue().lastIndexOf(c) && seen.add(c)) {
          problems.add("inputs." + e.getKey() + " lists '" + c + "' twice.");
        }
      }
    }
  }

  /** The output to read: the named one, or the only float or double tensor; null on a problem. */
  private String outputName(List<String> problems) {
    if (spec.output() != null) {
      NodeInfo node = outputs.get(spec.output());
      if (node == null) {
        problems.add(
            "output: '"
                + spec.output()
                + "' is not an output of the graph; its outputs are "
                + signature(outputs)
                + ".");
        return null;
      }
      if (!Onnx.isRealTensor(node) || ((TensorInfo) node.getInfo()).getShape().length > 2) {
        problems.add(
            "output '"
                + spec.output()
                + "' is "
                + Onnx.describe(node)
                + "; Flywheel reads a float or double tensor [N, classes] of probabilities, or"
                + " [N] / [N, 1] of values."
                + zipMapHint(node));
        return null;
      }
      return spec.output();
    }
    List<String> real =
        outputs.entrySet().stream()
            .filter(
                e ->
                    Onnx.isRealTensor(e.getValue())
                        && ((TensorInfo) e.getValue().getInfo()).getShape().length <= 2)
            .map(Map.Entry::getKey)
            .toList();
    if (real.size() == 1) {
      return real.get(0);
    }
    String hint = outputs.values().stream().map(OnnxTrainer::zipMapHint).findFirst().orElse("");
    problems.add(
        (real.isEmpty()
                ? "the graph has no float or double tensor output to read; its outputs are "
                : "the graph has several outputs Flywheel could read; its outputs are ")
            + signature(outputs)
            + (real.isEmpty() ? "." + hint : ". Name the one to read with output:."));
    return null;
  }

  private static String zipMapHint(NodeInfo node) {
    return node.getInfo() instanceof ai.onnxruntime.SequenceInfo s && s.sequenceOfMaps
        ? " Export the probabilities as a tensor instead (sklearn-onnx: options={'zipmap': False})."
        : "";
  }

  /** The declared columns per row of an output: 1 for [N], N/A (-1) when symbolic. */
  private static int outputWidth(NodeInfo node) {
    long[] shape = ((TensorInfo) node.getInfo()).getShape();
    return shape.length == 1 ? 1 : (int) shape[1];
  }

  private static String signature(Map<String, NodeInfo> nodes) {
    List<String> out = new ArrayList<>();
    nodes.forEach((name, node) -> out.add(name + " (" + Onnx.describe(node) + ")"));
    return String.join(", ", out);
  }

  private static String quoted(List<String> names) {
    return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
  }

  private String where() {
    return "candidate '" + candidate + "' (algorithm onnx, model " + spec.model() + ")";
  }

  private void fail(List<String> problems) {
    if (problems.isEmpty()) {
      return;
    }
    throw new BadInputException(
        where()
            + (problems.size() == 1
                ? " does not fit its graph: "
                : " does not fit its graph, " + problems.size() + " problems:\n  - ")
            + String.join("\n  - ", problems)
            + "\nSee docs/spec.md#onnx-import.");
  }
}
