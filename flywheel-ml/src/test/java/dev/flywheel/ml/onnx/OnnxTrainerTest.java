package dev.flywheel.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.core.spec.CandidateSpec;
import dev.flywheel.core.spec.OnnxSpec;
import dev.flywheel.ml.Trainers;
import dev.flywheel.testkit.OnnxFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX import against graphs made by Tribuo and by onnx.helper, checked against ORT itself. */
class OnnxTrainerTest {

  private static final TrainOptions OPTIONS = new TrainOptions(1, 1);
  private static final List<String> TRIBUO_COLUMNS = List.of("segment=a", "segment=b", "x1", "x2");

  @TempDir Path dir;

  /** The Tribuo fixture's rows as Flywheel's pipeline lays them out: x1, x2, segment one-hot. */
  private static TrainingSet churn() {
    List<String> lines = csv("tribuo-logistic.csv");
    double[][] x = new double[lines.size()][];
    int[] labels = new int[lines.size()];
    for (int i = 0; i < x.length; i++) {
      String[] f = lines.get(i).split(",");
      boolean b = f[2].equals("b");
      x[i] =
          new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), b ? 0 : 1, b ? 1 : 0};
      labels[i] = f[3].equals("yes") ? 1 : 0;
    }
    return new TrainingSet(
        x,
        List.of("x1", "x2", "segment=a", "segment=b"),
        Task.CLASSIFICATION,
        List.of("no", "yes"),
        labels,
        null);
  }

  private static TrainingSet houses() {
    List<String> lines = csv("linear-regression.csv");
    double[][] x = new double[lines.size()][];
    double[] y = new double[lines.size()];
    for (int i = 0; i < x.length; i++) {
      String[] f = lines.get(i).split(",");
      x[i] = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
      y[i] = Double.parseDouble(f[2]);
    }
    return new TrainingSet(x, List.of("rooms", "age"), Task.REGRESSION, List.of(), null, y);
  }

  private static List<String> csv(String file) {
    String text = new String(OnnxFixtures.bytes(file), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(text.lines().toList());
    lines.remove(0);
    return lines;
  }

  private CandidateSpec candidate(
      String fixture, Map<String, List<String>> inputs, String output, List<String> classes) {
    Path file = OnnxFixtures.copy(fixture, dir);
    return new CandidateSpec(
        "imported", Algorithm.ONNX, Map.of(), new OnnxSpec(file, inputs, output, classes));
  }

  private static Model train(CandidateSpec candidate, TrainingSet data) {
    return Trainers.forCandidate(candidate).train(data, Map.of(), OPTIONS);
  }

  @Test
  void tribuoExportScoresExactlyAsOnnxRuntimeDoesOnTheSameRows() throws OrtException {
    TrainingSet data = churn();
    Model model =
        train(
            candidate(
                OnnxFixtures.TRIBUO_LOGISTIC,
                Map.of("input", TRIBUO_COLUMNS),
                null,
                List.of("no", "yes")),
            data);

    Predictions.Probabilities p = (Predictions.Probabilities) model.predict(data.x());

    float[][] direct = new float[data.rows()][];
    for (int i = 0; i < direct.length; i++) {
      double[] r = data.x()[i];
      direct[i] = new float[] {(float) r[2], (float) r[3], (float) r[0], (float) r[1]};
    }
    float[][] expected =
        runDirect(OnnxFixtures.bytes("tribuo-logistic.onnx"), Map.of("input", direct), "output");
    for (int i = 0; i < direct.length; i++) {
      assertThat(p.probabilities()[i][0]).isEqualTo(expected[i][0]);
      assertThat(p.probabilities()[i][1]).isEqualTo(expected[i][1]);
    }
    int right = 0;
    for (int i = 0; i < data.rows(); i++) {
      right += p.argmax(i) == data.labels()[i] ? 1 : 0;
    }
    // The data's own Bayes rate is about 0.8; a wrong column order would be near 0.5.
    assertThat((double) right / data.rows()).isGreaterThan(0.75);
  }

  @Test
  void classesListedInAnotherOrderAreReorderedToTheTasksOrder() {
    TrainingSet data = churn();
    Model asExported =
        train(
            candidate(
                OnnxFixtures.TRIBUO_LOGISTIC, Map.of("input", TRIBUO_COLUMNS), null, List.of()),
            data);
    Model swapped =
        train(
            candidate(
                OnnxFixtures.TRIBUO_LOGISTIC,
                Map.of("input", TRIBUO_COLUMNS),
                "output",
                List.of("yes", "no")),
            data);

    double[][] a = ((Predictions.Probabilities) asExported.predict(data.x())).probabilities();
    double[][] b = ((Predictions.Probabilities) swapped.predict(data.x())).probabilities();
    assertThat(b[0][0]).isEqualTo(a[0][1]);
    assertThat(b[0][1]).isEqualTo(a[0][0]);
  }

  @Test
  void oneNamedInputPerColumnFeedsAHandBuiltRegressionGraph() throws OrtException {
    TrainingSet data = houses();
    Model model =
        train(
            candidate(
                OnnxFixtures.LINEAR_REGRESSION,
                Map.of("age", List.of("age"), "rooms", List.of("rooms")),
                null,
                List.of()),
            data);

    double[] values = ((Predictions.Values) model.predict(data.x())).values();

    float[][] rooms = new float[data.rows()][1];
    float[][] age = new float[data.rows()][1];
    for (int i = 0; i < data.rows(); i++) {
      rooms[i][0] = (float) data.x()[i][0];
      age[i][0] = (float) data.x()[i][1];
    }
    float[][] expected =
        runDirect(
            OnnxFixtures.bytes("linear-regression.onnx"),
            Map.of("rooms", rooms, "age", age),
            "price");
    for (int i = 0; i < data.rows(); i++) {
      assertThat(values[i]).isEqualTo(expected[i][0]);
      double formula = 50 * data.x()[i][0] - 0.8 * data.x()[i][1] + 30;
      assertThat(values[i]).isCloseTo(formula, org.assertj.core.data.Offset.offset(1e-3));
    }
  }

  @Test
  void bundleFormRoundTripsTheGraphBytesVerbatimAndPredictsTheSame() throws Exception {
    TrainingSet data = churn();
    Model model =
        train(
            candidate(
                OnnxFixtures.TRIBUO_LOGISTIC, Map.of("input", TRIBUO_COLUMNS), null, List.of()),
            data);

    assertThat(model.fileName()).isEqualTo("model.onnx");
    assertThat(model.toBytes()).isEqualTo(OnnxFixtures.bytes("tribuo-logistic.onnx"));
    assertThat(model.attachments()).containsOnlyKeys("onnx.json");

    try (OnnxModel loaded =
        (OnnxModel)
            Trainers.LOADER.load(
                Algorithm.ONNX,
                Task.CLASSIFICATION,
                List.of("no", "yes"),
                4,
                model.toBytes(),
                model.attachments())) {
      double[][] before = ((Predictions.Probabilities) model.predict(data.x())).probabilities();
      double[][] after = ((Predictions.Probabilities) loaded.predict(data.x())).probabilities();
      assertThat(after).isDeepEqualTo(before);
      // One row at a time (the server's single-instance path) gives the batch's answers.
      for (int i = 0; i < 20; i++) {
        double[][] one =
            ((Predictions.Probabilities) loaded.predict(new double[][] {data.x()[i]}))
                .probabilities();
        assertThat(one[0]).containsExactly(before[i]);
      }
      assertThat(loaded.predict(new double[0][]).size()).isZero();
    }
  }

  @Test
  void loaderRefusesAPipelineOfAnotherWidth() {
    TrainingSet data = churn();
    Model model =
        train(
            candidate(
                OnnxFixtures.TRIBUO_LOGISTIC, Map.of("input", TRIBUO_COLUMNS), null, List.of()),
            data);

    assertThatThrownBy(
            () ->
                Trainers.LOADER.load(
                    Algorithm.ONNX,
                    Task.CLASSIFICATION,
                    List.of("no", "yes"),
                    5,
                    model.toBytes(),
                    model.attachments()))
        .hasMessageContaining("vector of 4")
        .hasMessageContaining("makes 5");
  }

  @Test
  void inputNameTheGraphLacksIsNamedWithTheGraphsInputs() {
    assertThatThrownBy(
            () ->
                Trainers.forCandidate(
                    candidate(
                        OnnxFixtures.TRIBUO_LOGISTIC,
                        Map.of("features", TRIBUO_COLUMNS),
                        null,
                        List.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("candidate 'imported'")
        .hasMessageContaining("inputs names 'features', which is not an input of the graph")
        .hasMessageContaining("input (float [batch, 4])")
        .hasMessageContaining("graph input 'input' (float [batch, 4]) is not mapped");
  }

  @Test
  void wrongColumnCountNamesTheInputItsShapeAndTheFix() {
    assertThatThrownBy(
            () ->
                Trainers.forCandidate(
                    candidate(
                        OnnxFixtures.TRIBUO_LOGISTIC,
                        Map.of("input", List.of("x1", "x2")),
                        null,
                        List.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("graph input 'input' is float [batch, 4], 4 columns per row")
        .hasMessageContaining("inputs.input lists 2: [x1, x2]")
        .hasMessageContaining("List exactly 4");
  }

  @Test
  void graphWithSeveralInputsNeedsAMapping() {
    assertThatThrownBy(
            () ->
                Trainers.forCandidate(
                    candidate(OnnxFixtures.LINEAR_REGRESSION, Map.of(), null, List.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("the graph has 2 inputs, rooms (float [N, 1]), age (float [N, 1])")
        .hasMessageContaining("map each one to its columns under inputs:");
  }

  @Test
  void defaultMappingOfALoneInputMustMatchThePipelinesWidth() {
    TrainingSet narrow =
        new TrainingSet(
            new double[][] {{1, 2}, {3, 4}},
            List.of("x1", "x2"),
            Task.CLASSIFICATION,
            List.of("no", "yes"),
            new int[] {0, 1},
            null);
    CandidateSpec c = candidate(OnnxFixtures.TRIBUO_LOGISTIC, Map.of(), null, List.of());
    assertThatThrownBy(() -> train(c, narrow))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("graph input 'input' is float [batch, 4]")
        .hasMessageContaining("the feature pipeline makes 2 model inputs: x1, x2")
        .hasMessageContaining("under inputs:");
  }

  @Test
  void columnThePipelineDoesNotMakeIsNamedWithTheColumnsItDoes() {
    Map<String, List<String>> inputs = new LinkedHashMap<>();
    inputs.put("input", List.of("segment=a", "segment=c", "x1", "x2"));
    CandidateSpec c = candidate(OnnxFixtures.TRIBUO_LOGISTIC, inputs, null, List.of());
    assertThatThrownBy(() -> train(c, churn()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("inputs.input lists 'segment=c', not a model input")
        .hasMessageContaining("x1, x2, segment=a, segment=b");
  }

  @Test
  void classesThatAreNotTheTargetsLabelsAreRefused() {
    CandidateSpec c =
        candidate(
            OnnxFixtures.TRIBUO_LOGISTIC,
            Map.of("input", TRIBUO_COLUMNS),
            null,
            List.of("stay", "leave"));
    assertThatThrownBy(() -> train(c, churn()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("classes [stay, leave] are not the labels of the target, [no, yes]");
  }

  @Test
  void aRegressionTaskCannotReadATwoColumnOutput() {
    TrainingSet asRegression =
        new TrainingSet(
            churn().x(),
            List.of("x1", "x2", "segment=a", "segment=b"),
            Task.REGRESSION,
            List.of(),
            null,
            new double[churn().rows()]);
    CandidateSpec c =
        candidate(OnnxFixtures.TRIBUO_LOGISTIC, Map.of("input", TRIBUO_COLUMNS), null, List.of());
    assertThatThrownBy(() -> train(c, asRegression))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("output 'output' is float [batch, 2]")
        .hasMessageContaining("one value per row");
  }

  @Test
  void outputTheGraphLacksIsNamedWithItsOutputs() {
    assertThatThrownBy(
            () ->
                Trainers.forCandidate(
                    candidate(
                        OnnxFixtures.TRIBUO_LOGISTIC,
                        Map.of("input", TRIBUO_COLUMNS),
                        "probabilities",
                        List.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("output: 'probabilities' is not an output of the graph")
        .hasMessageContaining("output (float [batch, 2])");
  }

  @Test
  void missingFileIsABadInputNamingIt() {
    Path missing = dir.resolve("nowhere.onnx");
    CandidateSpec c =
        new CandidateSpec(
            "imported", Algorithm.ONNX, Map.of(), new OnnxSpec(missing, Map.of(), null, List.of()));
    assertThatThrownBy(() -> Trainers.forCandidate(c))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void fileThatIsNotAGraphIsABadInput() throws Exception {
    Path bogus = Files.writeString(dir.resolve("model.onnx"), "not a graph");
    CandidateSpec c =
        new CandidateSpec(
            "imported", Algorithm.ONNX, Map.of(), new OnnxSpec(bogus, Map.of(), null, List.of()));
    assertThatThrownBy(() -> Trainers.forCandidate(c))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("ONNX Runtime 1.28 cannot load it");
  }

  /** Runs a graph with plain ONNX Runtime calls, nothing of Flywheel's in between. */
  static float[][] runDirect(byte[] graph, Map<String, float[][]> feed, String output)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(graph)) {
      Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
      try {
        for (var e : feed.entrySet()) {
          tensors.put(e.getKey(), OnnxTensor.createTensor(env, e.getValue()));
        }
        try (OrtSession.Result r = session.run(tensors)) {
          return (float[][]) r.get(output).orElseThrow().getValue();
        }
      } finally {
        tensors.values().forEach(OnnxTensor::close);
      }
    }
  }
}
