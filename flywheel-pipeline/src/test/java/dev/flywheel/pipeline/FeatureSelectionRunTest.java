package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.features.FeatureSelection;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.ml.Trainers;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real runs with {@code features.select}: selection sees the training split only, keeps the
 * informative columns among noise at no cost in test AUC, searches several {@code keep} values, and
 * the bundle keeps the full input signature while its model reads the kept columns.
 */
class FeatureSelectionRunTest {

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

  private static final List<String> INFORMATIVE = List.of("x1", "x2", "x3", "x4", "x5");

  /**
   * Rows with five informative columns, {@code noise} pure-noise columns and, when {@code leak} is
   * not null, a column {@code leak} equal to the label on rows where {@code leak} says so and a
   * coin flip elsewhere. {@code ts} is the row index, for a time split.
   */
  private void write(int rows, int noise, java.util.function.IntPredicate leak) throws IOException {
    Random r = new Random(11);
    StringBuilder sb = new StringBuilder("ts");
    INFORMATIVE.forEach(c -> sb.append(',').append(c));
    for (int j = 1; j <= noise; j++) {
      sb.append(",n").append(j);
    }
    if (leak != null) {
      sb.append(",leak");
    }
    sb.append(",label\n");
    double[] w = {1.5, -1.0, 1.0, 0.8, -0.7};
    for (int i = 0; i < rows; i++) {
      double z = 0;
      StringBuilder row = new StringBuilder(Integer.toString(i));
      for (double wj : w) {
        double x = r.nextGaussian();
        z += wj * x;
        row.append(',').append(String.format(Locale.ROOT, "%.5f", x));
      }
      for (int j = 0; j < noise; j++) {
        row.append(',').append(String.format(Locale.ROOT, "%.5f", r.nextGaussian()));
      }
      int label = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      if (leak != null) {
        row.append(',').append(leak.test(i) ? label : r.nextInt(2));
      }
      sb.append(row).append(label == 1 ? ",yes" : ",no").append('\n');
    }
    Files.writeString(dir.resolve("data.csv"), sb);
  }

  private RunResult run(String features, String split) throws IOException {
    String yaml =
        """
        name: sel
        task: classification
        target: label
        source: {csv: data.csv}
        split: %s
        features: %s
        candidates:
          - {algorithm: xgboost, params: {rounds: 60, max_depth: 3}}
        """
            .formatted(split, features);
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec));
  }

  private ModelBundle bundle(RunResult result) {
    var v =
        workdir.metadata().versions("sel").stream()
            .filter(m -> m.version() == result.modelVersion())
            .findFirst()
            .orElseThrow();
    return BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER);
  }

  @Test
  void importanceKeepsTheInformativeColumnsAmongFifteenNoiseColumnsWithoutLosingTestAuc()
      throws IOException {
    write(3000, 15, null);
    RunResult all = run("{}", "{method: hash}");
    RunResult selected = run("{select: {method: importance, keep: 5}}", "{method: hash}");

    assertThat(selected.selected().features()).containsExactlyInAnyOrderElementsOf(INFORMATIVE);
    assertThat(all.selected().features()).isNull();
    double aucAll = all.selected().test().get("auc");
    double aucSelected = selected.selected().test().get("auc");
    assertThat(aucSelected).isGreaterThanOrEqualTo(aucAll - 0.01);
    // ts, 5 informative and 15 noise columns without selection; 5 with it.
    assertThat(all.leaderboard()).allSatisfy(e -> assertThat(e.features()).isEqualTo(21));
    assertThat(selected.leaderboard()).allSatisfy(e -> assertThat(e.features()).isEqualTo(5));
    JsonNode json = Json.mapper().valueToTree(selected);
    assertThat(json.at("/selected/features").size()).isEqualTo(5);
    assertThat(json.at("/leaderboard/0/features").asInt()).isEqualTo(5);

    ModelBundle bundle = bundle(selected);
    // The signature keeps every column a caller sends; the model reads the kept ones.
    assertThat(bundle.manifest().inputs()).hasSize(21);
    assertThat(bundle.pipeline().inputs())
        .extracting(InputFeature::name)
        .containsExactlyInAnyOrderElementsOf(INFORMATIVE);
    FeatureSelection s = bundle.manifest().selection();
    assertThat(s.method()).isEqualTo("importance");
    assertThat(s.keep()).isEqualTo(5);
    assertThat(s.dropped()).hasSize(16);
    assertThat(s.dropped())
        .allSatisfy(d -> assertThat(d.reason()).startsWith("gain ").contains("below the top 5"));
    // A request with every column predicts; the bundle's own row path reads only the kept ones.
    Map<String, Object> row = new HashMap<>();
    for (InputField f : bundle.manifest().inputs()) {
      row.put(f.name(), 0.5);
    }
    assertThat(((Predictions.Probabilities) bundle.predict(List.of(row))).probabilities()[0])
        .hasSize(2);
    // Without selection the manifest records none, as bundles written before selection existed.
    assertThat(bundle(all).manifest().selection()).isNull();
  }

  @Test
  void selectionIgnoresASignalPlantedInTheTestRowsOnly() throws IOException {
    int rows = 2000;
    // A time split puts the newest 15% of rows in test: plant the label there only.
    write(rows, 4, i -> i >= rows * 0.87);
    for (String method : List.of("mutual_info", "importance")) {
      RunResult result =
          run(
              "{select: {method: " + method + ", keep: 5}}",
              "{method: time, column: ts, validation: 0.15, test: 0.15}");
      assertThat(result.selected().features()).as(method).doesNotContain("leak");
    }
    // The control: the same column planted in the training rows is picked, so the test above can
    // fail.
    write(rows, 4, i -> i < rows * 0.6);
    RunResult planted =
        run(
            "{select: {method: mutual_info, keep: 5}}",
            "{method: time, column: ts, validation: 0.15, test: 0.15}");
    assertThat(planted.selected().features()).contains("leak");
  }

  @Test
  void keepIsSearchedAndEachLeaderboardEntryShowsItsFeatureCount() throws IOException {
    write(1500, 6, null);
    RunResult result = run("{select: {method: mutual_info, keep: [2, 5]}}", "{method: hash}");
    List<Integer> counts = new ArrayList<>();
    result.leaderboard().forEach(e -> counts.add(e.features()));
    // baseline and xgboost, once per keep value.
    assertThat(counts).containsExactly(2, 2, 5, 5);
    assertThat(result.selected().features()).hasSizeBetween(2, 5);
    assertThat(bundle(result).pipeline().inputs()).hasSize(result.selected().features().size());
  }

  @Test
  void varianceAndCorrelationThresholdsDropWhatTheirRuleSays() throws IOException {
    write(1200, 2, null);
    // x columns are standard normal (variance ≈ 1) and ts has a huge variance: a threshold of 10
    // keeps ts alone.
    RunResult variance = run("{select: {method: variance, threshold: 10}}", "{method: hash}");
    assertThat(variance.selected().features()).containsExactly("ts");
    FeatureSelection s = bundle(variance).manifest().selection();
    assertThat(s.dropped()).extracting(FeatureSelection.Dropped::name).contains("x1", "n2");
    assertThat(s.dropped().get(0).reason()).contains("is not above 10");
    // No two columns correlate: nothing is dropped.
    RunResult correlation =
        run("{select: {method: correlation, threshold: 0.9}}", "{method: hash}");
    assertThat(correlation.selected().features()).hasSize(8);
  }

  @Test
  void mutualInformationAgainstANumericTargetKeepsTheColumnsItDependsOn() throws IOException {
    Random r = new Random(5);
    StringBuilder sb = new StringBuilder("a,b,c,d,e,value\n");
    for (int i = 0; i < 1000; i++) {
      double[] x = new double[5];
      for (int j = 0; j < 5; j++) {
        x[j] = r.nextGaussian();
        sb.append(String.format(Locale.ROOT, "%.5f,", x[j]));
      }
      sb.append(String.format(Locale.ROOT, "%.5f%n", 2 * x[1] - x[3] + 0.3 * r.nextGaussian()));
    }
    Files.writeString(dir.resolve("data.csv"), sb);
    String yaml =
        """
        name: sel
        task: regression
        target: value
        source: {csv: data.csv}
        features: {select: {method: mutual_info, keep: 2}}
        candidates:
          - {algorithm: xgboost, params: {rounds: 30, max_depth: 3}}
        """;
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    RunResult result =
        new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
            .run(SpecParser.parse(spec));
    assertThat(result.selected().features()).containsExactly("b", "d");
  }

  @Test
  void aBadSelectSpecIsRefusedWithTheRule() throws IOException {
    write(50, 0, null);
    assertThatThrownBy(() -> run("{select: {method: importance, keep: 3, threshold: 1}}", "null"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("features.select")
        .hasMessageContaining("set exactly one");
    assertThatThrownBy(() -> run("{select: {method: correlation, keep: 3}}", "null"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("takes no 'keep'");
    assertThatThrownBy(() -> run("{select: {method: chi2, keep: 3}}", "null"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'chi2' is not allowed");
  }
}
