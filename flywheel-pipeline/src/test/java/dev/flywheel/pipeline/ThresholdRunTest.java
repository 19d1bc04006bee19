package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.FeatureImportance;
import dev.flywheel.core.bundle.Manifest;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.model.DecisionRule;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision threshold and feature importances through a whole run: chosen on validation, used
 * for the test metrics, recorded in the run result and the bundle.
 */
class ThresholdRunTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() throws IOException {
    workdir = Workdir.open(dir.resolve("work"));
    writeImbalanced(dir.resolve("fraud.csv"), 4000, 3);
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  /**
   * About 12% positives: {@code fraud} is {@code yes} with probability sigmoid(2·amount − 3.5 +
   * 1.5·[channel = web]); {@code noise} plays no part.
   */
  static void writeImbalanced(Path file, int rows, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder sb = new StringBuilder("amount,noise,channel,fraud\n");
    String[] channels = {"app", "store", "web"};
    for (int i = 0; i < rows; i++) {
      double amount = r.nextGaussian();
      double noise = r.nextGaussian();
      String channel = channels[r.nextInt(3)];
      double z = 2 * amount - 3.5 + (channel.equals("web") ? 1.5 : 0);
      boolean fraud = r.nextDouble() < 1 / (1 + Math.exp(-z));
      sb.append(
          String.format(
              Locale.ROOT, "%.5f,%.5f,%s,%s%n", amount, noise, channel, fraud ? "yes" : "no"));
    }
    Files.writeString(file, sb.toString());
  }

  private RunResult run(String selection, List<PreparedData> seen) throws IOException {
    String yaml =
        """
        name: fraud
        task: classification
        target: fraud
        positive: "yes"
        source: {csv: fraud.csv}
        candidates: [{algorithm: linear}]
        """
            + selection;
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    RunOptions options =
        seen == null ? RunOptions.NONE : new RunOptions(null, null, null, null, seen::add);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec), options);
  }

  private ModelBundle bundle(RunResult result) {
    ModelVersion v = workdir.metadata().version("fraud", result.modelVersion()).orElseThrow();
    return BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER);
  }

  @Test
  void f1ThresholdOnImbalancedDataIsRecordedStoredAndScoresTheTestLabels() throws IOException {
    List<PreparedData> seen = new ArrayList<>();
    RunResult result = run("selection: {threshold: {method: f1}}\n", seen);

    double t = result.selected().threshold();
    assertThat(result.selected().thresholdMethod()).isEqualTo("f1");
    assertThat(t).as("F1-optimal threshold on 12%% positives").isBetween(0.1, 0.42);
    ModelBundle bundle = bundle(result);
    assertThat(bundle.manifest().threshold()).isEqualTo(t);

    // The test metrics are those of the labels decided at t, not at the argmax.
    PreparedData data = seen.get(0);
    Predictions.Probabilities p = (Predictions.Probabilities) bundle.model().predict(data.testX());
    int pos = data.classes().indexOf("yes");
    DecisionRule rule = bundle.manifest().decisionRule();
    int right = 0;
    int tp = 0;
    int predictedPos = 0;
    int disagree = 0;
    for (int i = 0; i < p.size(); i++) {
      int decided = rule.decide(p.probabilities()[i]);
      right += decided == data.testTruth().labels()[i] ? 1 : 0;
      predictedPos += decided == pos ? 1 : 0;
      tp += decided == pos && data.testTruth().labels()[i] == pos ? 1 : 0;
      disagree += decided != p.argmax(i) ? 1 : 0;
    }
    assertThat(disagree).as("rows whose label the threshold changes").isGreaterThan(5);
    assertThat(result.selected().test().get("accuracy")).isEqualTo((double) right / p.size());
    assertThat(result.selected().test().get("precision")).isEqualTo((double) tp / predictedPos);
    assertThat(result.toJson()).contains("\"threshold\" : " + t);
  }

  @Test
  void costlyMissesLowerTheThresholdAndCostlyAlarmsRaiseIt() throws IOException {
    double missesCostly =
        run(
                "selection: {threshold: {method: cost, cost: {false_positive: 1, false_negative: 8}}}\n",
                null)
            .selected()
            .threshold();
    double alarmsCostly =
        run(
                "selection: {threshold: {method: cost, cost: {false_positive: 8, false_negative: 1}}}\n",
                null)
            .selected()
            .threshold();
    RunResult fixed = run("selection: {threshold: {method: fixed, value: 0.7}}\n", null);

    assertThat(missesCostly).isLessThan(0.3);
    assertThat(alarmsCostly).isGreaterThan(0.6);
    assertThat(fixed.selected().threshold()).isEqualTo(0.7);
    assertThat(fixed.selected().thresholdMethod()).isEqualTo("fixed");
    assertThat(bundle(fixed).manifest().threshold()).isEqualTo(0.7);
  }

  @Test
  void importancesAreStoredWithTheVersion() throws IOException {
    Manifest m = bundle(run("", null)).manifest();

    FeatureImportance imp = m.importance();
    assertThat(imp.model().method()).isEqualTo("coefficient");
    assertThat(imp.model().features())
        .extracting(FeatureImportance.Feature::name)
        .containsExactly("amount", "noise", "channel=app", "channel=store", "channel=web");
    assertThat(imp.permutation().metric()).isEqualTo("auc");
    assertThat(imp.permutation().columns())
        .extracting(FeatureImportance.Drop::name)
        .containsExactly("amount", "channel", "noise");
    assertThat(imp.permutation().columns().get(0).mean()).isGreaterThan(0.1);
  }

  @Test
  void anExplicitThresholdForMoreThanTwoClassesIsRefused() throws IOException {
    Files.writeString(
        dir.resolve("fraud.csv"),
        "amount,noise,channel,fraud\n"
            + String.join(
                "",
                java.util.stream.IntStream.range(0, 300)
                    .mapToObj(
                        i ->
                            i
                                + ","
                                + (i % 7)
                                + ",app,"
                                + (i % 3 == 0 ? "a" : i % 3 == 1 ? "b" : "c")
                                + "\n")
                    .toList()));
    String spec =
        """
        name: fraud
        task: classification
        target: fraud
        source: {csv: fraud.csv}
        candidates: [{algorithm: linear}]
        selection: {threshold: {method: f1}}
        """;
    Path file = Files.writeString(dir.resolve("flywheel.yaml"), spec);

    assertThatThrownBy(
            () ->
                new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
                    .run(SpecParser.parse(file)))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("selection.threshold")
        .hasMessageContaining("has 3 classes")
        .hasMessageContaining("Remove selection.threshold");
  }
}
