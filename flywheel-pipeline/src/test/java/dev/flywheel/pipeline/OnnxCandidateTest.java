package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.ml.Trainers;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.OnnxFixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An imported ONNX graph through the whole training run: evaluated and gated like any candidate,
 * packaged with its bytes verbatim, and scored from the bundle exactly as ONNX Runtime scores it.
 */
class OnnxCandidateTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private RunResult run(String yaml) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec));
  }

  private static final String CHURN =
      """
      name: churn
      task: classification
      target: churn
      source: {csv: tribuo-logistic.csv}
      candidates:
        - name: tribuo
          algorithm: onnx
          model: tribuo-logistic.onnx
          inputs:
            input: [segment=a, segment=b, x1, x2]
          classes: ["no", "yes"]
      """;

  @Test
  void tribuoExportIsSelectedGatedBundledAndServedAsOnnxRuntimeScoresIt() throws Exception {
    OnnxFixtures.copy(OnnxFixtures.TRIBUO_LOGISTIC, dir);

    RunResult result = run(CHURN);

    assertThat(result.leaderboard())
        .extracting(RunResult.LeaderboardEntry::candidate)
        .containsExactly("baseline", "tribuo");
    RunResult.LeaderboardEntry imported = result.leaderboard().get(1);
    assertThat(imported.algorithm()).isEqualTo("onnx");
    assertThat(imported.params()).isEmpty();
    assertThat(imported.validation().get("auc")).isGreaterThan(0.8);
    assertThat(result.selected().candidate()).isEqualTo("tribuo");
    assertThat(result.gate().passed()).isTrue();
    assertThat(result.promoted()).isTrue();

    ModelVersion production =
        workdir.metadata().alias("churn", MetadataStore.PRODUCTION).orElseThrow();
    byte[] zip = workdir.artifacts().get(production.bundleKey());
    Map<String, byte[]> entries = unzip(zip);
    assertThat(entries.get("model.onnx")).isEqualTo(OnnxFixtures.bytes("tribuo-logistic.onnx"));
    assertThat(new String(entries.get("onnx.json"), StandardCharsets.UTF_8))
        .contains("\"indices\" : [ 2, 3, 0, 1 ]"); // x1, x2, segment=a, segment=b → Tribuo's order

    ModelBundle bundle = BundleIO.read(zip, "test", Trainers.LOADER);
    assertThat(bundle.manifest().algorithm()).isEqualTo(Algorithm.ONNX);
    List<Map<String, Object>> rows = new ArrayList<>();
    List<String> lines = csv("tribuo-logistic.csv");
    float[][] direct = new float[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      Map<String, Object> row = new HashMap<>();
      row.put("x1", Double.parseDouble(f[0]));
      row.put("x2", Double.parseDouble(f[1]));
      row.put("segment", f[2]);
      rows.add(row);
      boolean b = f[2].equals("b");
      direct[i] =
          new float[] {b ? 0 : 1, b ? 1 : 0, Float.parseFloat(f[0]), Float.parseFloat(f[1])};
    }
    Predictions.Probabilities served = (Predictions.Probabilities) bundle.predict(rows);
    float[][] expected =
        runDirect(OnnxFixtures.bytes("tribuo-logistic.onnx"), Map.of("input", direct), "output");
    assertThat(served.classes()).containsExactly("no", "yes");
    for (int i = 0; i < rows.size(); i++) {
      assertThat(served.probabilities()[i][0]).isEqualTo(expected[i][0]);
      assertThat(served.probabilities()[i][1]).isEqualTo(expected[i][1]);
    }
  }

  @Test
  void handBuiltRegressionGraphCompetesWithATrainedCandidate() throws Exception {
    OnnxFixtures.copy(OnnxFixtures.LINEAR_REGRESSION, dir);

    RunResult result =
        run(
            """
            name: houses
            task: regression
            target: price
            source: {csv: linear-regression.csv}
            candidates:
              - {algorithm: linear}
              - name: handmade
                algorithm: onnx
                model: linear-regression.onnx
                inputs: {rooms: rooms, age: age}
            """);

    RunResult.LeaderboardEntry handmade =
        result.leaderboard().stream()
            .filter(e -> e.candidate().equals("handmade"))
            .findFirst()
            .orElseThrow();
    // The graph is the data's own formula: what is left is the noise (sd 5).
    assertThat(handmade.validation().get("rmse")).isBetween(3.5, 6.5);
    assertThat(result.gate().passed()).isTrue();
  }

  @Test
  void badMappingFailsTheRunBeforeAnythingIsRegistered() throws IOException {
    OnnxFixtures.copy(OnnxFixtures.TRIBUO_LOGISTIC, dir);

    assertThatThrownBy(() -> run(CHURN.replace("[segment=a, segment=b, x1, x2]", "[x1, x2]")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("candidate 'tribuo'")
        .hasMessageContaining("graph input 'input' is float [batch, 4]")
        .hasMessageContaining("inputs.input lists 2: [x1, x2]");

    assertThat(workdir.metadata().runs("churn").get(0).status()).isEqualTo("failed");
    assertThat(workdir.metadata().versions("churn")).isEmpty();
  }

  @Test
  void missingModelFileIsASpecErrorWithItsLine() throws IOException {
    OnnxFixtures.copy(OnnxFixtures.TRIBUO_LOGISTIC, dir);

    assertThatThrownBy(() -> run(CHURN.replace("tribuo-logistic.onnx", "gone.onnx")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("flywheel.yaml:8: candidates[0].model:")
        .hasMessageContaining("gone.onnx does not exist");
  }

  private static List<String> csv(String file) {
    String text = new String(OnnxFixtures.bytes(file), StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(text.lines().toList());
    lines.remove(0);
    return lines;
  }

  private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  /** Runs a graph with plain ONNX Runtime calls, nothing of Flywheel's in between. */
  private static float[][] runDirect(byte[] graph, Map<String, float[][]> feed, String output)
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
