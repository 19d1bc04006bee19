package dev.flywheel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.PipelineSpec;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.pipeline.train.PreparedData;
import dev.flywheel.store.Workdir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Row cleaning and the time split in a real run: duplicates and missing targets go before the
 * split, outliers after it, from the training rows only, with bounds from the training rows.
 */
class CleaningRunTest {

  @TempDir Path dir;

  private Workdir workdir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void open() throws IOException {
    workdir = Workdir.open(dir.resolve("work"));
    // 100 rows with ts = 0..99. The time split (validation 0.3, test 0.3) makes ts 0-39 train,
    // 40-69 validation and 70-99 test. Train's x is i % 10, except row 5 where it is 30; later
    // rows have x = 1000. Then 3 exact copies (rows 1, 2, 3) and 2 rows without a label.
    StringBuilder csv = new StringBuilder("ts,x,label\n");
    for (int i = 0; i < 100; i++) {
      int x = i >= 40 ? 1000 : i == 5 ? 30 : i % 10;
      csv.append(i).append(',').append(x).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
    }
    csv.append("1,1,b\n2,2,a\n3,3,b\n");
    csv.append("200,1,\n201,2,\n");
    Files.writeString(dir.resolve("rows.csv"), csv);
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private static final String SPEC =
      """
      name: cleaned
      task: classification
      target: label
      source: {csv: rows.csv}
      split: {method: time, column: ts, validation: 0.3, test: 0.3}
      candidates: [{algorithm: baseline}]
      """;

  private RunResult run(String yaml, AtomicReference<PreparedData> seen) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    PipelineSpec parsed = SpecParser.parse(spec);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(parsed, new RunOptions(null, null, null, null, seen::set));
  }

  @Test
  void countsRowsEachCleaningStepRemovedAndTakesOutliersFromTrainOnly() throws IOException {
    AtomicReference<PreparedData> seen = new AtomicReference<>();
    RunResult result = run(SPEC + "clean: {outliers: {method: iqr, factor: 1.5}}\n", seen);

    // Train-only quartiles of x: Q1 = 2, Q3 = 7, fences [-5.5, 14.5], so row 5 (x = 30) goes. Had
    // the 60 validation and test rows (x = 1000) been counted, Q3 would be 1000 and nothing would.
    assertThat(result.dataset().cleaning()).isEqualTo(new RunResult.Cleaning(3, 2, 1));
    assertThat(result.dataset().duplicates()).isEqualTo(3);
    assertThat(result.dataset().missingTarget()).isEqualTo(2);
    assertThat(result.dataset().rows()).isEqualTo(100);
    assertThat(result.dataset().splits())
        .isEqualTo(Map.of("train", 39, "validation", 30, "test", 30));
    PreparedData data = seen.get();
    double[] trainTs = ((NumericColumn) data.train().column("ts")).values();
    assertThat(trainTs).hasSize(39).doesNotContain(5.0);
    assertThat(Arrays.stream(trainTs).max().orElseThrow()).isEqualTo(39);
    // Validation and test keep their extreme rows: serving will meet them.
    assertThat(((NumericColumn) data.validation().column("x")).values()).containsOnly(1000);
    assertThat(((NumericColumn) data.test().column("ts")).values()[0]).isEqualTo(70);

    String json = result.toJson();
    assertThat(json)
        .contains("\"cleaning\" : {")
        .contains("\"missing_target\" : 2")
        .contains("\"outliers\" : 1");
    assertThat(RunResult.fromJson(json)).isEqualTo(result);
  }

  @Test
  void withoutCleaningKeysDuplicatesAndMissingTargetsGoAsBefore() throws IOException {
    RunResult result = run(SPEC, new AtomicReference<>());
    assertThat(result.dataset().cleaning()).isEqualTo(new RunResult.Cleaning(3, 2, 0));
    assertThat(result.dataset().splits())
        .isEqualTo(Map.of("train", 40, "validation", 30, "test", 30));
  }

  @Test
  void keepingDuplicatesPutsThemInTheSplitOfTheirTime() throws IOException {
    RunResult result = run(SPEC + "clean: {dedupe: false}\n", new AtomicReference<>());
    // 103 rows: test round(30.9) = 31, validation 31, train 41; the copies have ts 1-3 (train),
    // and the time boundaries move by the extra rows: ts 69 joins test, ts 38 validation.
    assertThat(result.dataset().cleaning()).isEqualTo(new RunResult.Cleaning(0, 2, 0));
    assertThat(result.dataset().splits())
        .isEqualTo(Map.of("train", 41, "validation", 31, "test", 31));
  }

  @Test
  void aMissingTargetFailsTheRunWhenItMayNotBeDropped() throws IOException {
    assertThatThrownBy(
            () -> run(SPEC + "clean: {drop_missing_target: false}\n", new AtomicReference<>()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("target: 'label' has no value in row 104");
  }

  @Test
  void foldsAreAssignedOverTrainAndValidationAndCheckedAgainstTheirRows() throws IOException {
    AtomicReference<PreparedData> seen = new AtomicReference<>();
    RunResult result = run(SPEC.replace("test: 0.3}", "test: 0.3, folds: 7}"), seen);
    // Every candidate without its own search.cv is cross-validated on the split's folds.
    assertThat(result.leaderboard()).allSatisfy(e -> assertThat(e.validationSd()).isNotNull());
    int[] folds = seen.get().folds();
    assertThat(folds).hasSize(70);
    int[] size = new int[7];
    Arrays.stream(folds).forEach(f -> size[f]++);
    assertThat(size).containsOnly(10);

    assertThatThrownBy(
            () -> run(SPEC.replace("test: 0.3}", "test: 0.3, folds: 71}"), new AtomicReference<>()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("split.folds: 71 folds over 70 rows");
  }
}
