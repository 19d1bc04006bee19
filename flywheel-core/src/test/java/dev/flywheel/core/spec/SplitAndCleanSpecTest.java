package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.bundle.Lineage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code split} and {@code clean} keys of docs/spec.md: values, defaults, located errors. */
class SplitAndCleanSpecTest {

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: data/churn.csv}
      """;

  private static PipelineSpec parse(String yaml) {
    return SpecParser.parse(yaml, "flywheel.yaml", Path.of("/project"));
  }

  private static String problems(String yaml) {
    try {
      parse(yaml);
    } catch (BadInputException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the spec to be refused:\n" + yaml);
  }

  @Test
  void defaultsAreTheHashSplitAndTodaysCleaning() {
    PipelineSpec spec = parse(HEAD);
    assertThat(spec.split()).isEqualTo(new SplitSpec(0.15, 0.15, 42, "hash", true, null, 0));
    assertThat(spec.clean()).isEqualTo(CleanSpec.DEFAULT);
    assertThat(spec.clean().dedupe()).isEqualTo(new CleanSpec.Dedupe.FullRow());
    assertThat(spec.clean().dropMissingTarget()).isTrue();
    assertThat(spec.clean().outliers()).isNull();
  }

  @Test
  void readsEverySplitMethod() {
    assertThat(parse(HEAD + "split: {method: random, seed: 3, stratify: false}\n").split())
        .isEqualTo(new SplitSpec(0.15, 0.15, 3, "random", false, null, 0));
    assertThat(parse(HEAD + "split: {method: stratified}\n").split().method())
        .isEqualTo("stratified");
    assertThat(parse(HEAD + "split: {method: time, column: ts, validation: 0.1}\n").split())
        .isEqualTo(new SplitSpec(0.1, 0.15, 42, "time", true, "ts", 0));
    assertThat(parse(HEAD + "split: {method: group, column: customer_id, folds: 5}\n").split())
        .isEqualTo(new SplitSpec(0.15, 0.15, 42, "group", true, "customer_id", 5));
  }

  @Test
  void splitProblemsNameTheKeyAndLine() {
    String msg =
        problems(
            HEAD
                + """
                split:
                  method: time
                  validation: 1.5
                  test: 0
                  folds: 1
                """);
    assertThat(msg)
        .contains("flywheel.yaml:5: split: method time needs a column")
        .contains("flywheel.yaml:7: split.validation: 1.5 is out of range")
        .contains("flywheel.yaml:8: split.test: 0.0 is out of range")
        .contains("flywheel.yaml:9: split.folds: 1 is out of range; it must be an integer in [2,");
    assertThat(problems(HEAD + "split: {validation: 0.6, test: 0.5}\n"))
        .contains("split: validation + test is 1.1; it must be below 1");
    assertThat(problems(HEAD + "split: {method: hash, column: ts}\n"))
        .contains("split.column: only methods time and group take a column");
    assertThat(problems(HEAD + "split: {method: kfold}\n"))
        .contains("split.method: 'kfold' is not allowed; use hash|random|stratified|time|group");
    assertThat(
            problems(
                HEAD.replace("classification", "regression") + "split: {method: stratified}\n"))
        .contains("split.method: stratified keeps class shares");
  }

  @Test
  void readsEveryCleaningKey() {
    CleanSpec clean =
        parse(
                HEAD
                    + """
                    clean:
                      dedupe: {key: [customer_id, day]}
                      drop_missing_target: false
                      outliers: {method: zscore, threshold: 2.5}
                      columns: [income]
                    """)
            .clean();
    assertThat(clean)
        .isEqualTo(
            new CleanSpec(
                new CleanSpec.Dedupe.Key(List.of("customer_id", "day")),
                false,
                new CleanSpec.Outliers.ZScore(2.5),
                List.of("income")));
    assertThat(parse(HEAD + "clean: {dedupe: false}\n").clean().dedupe())
        .isEqualTo(new CleanSpec.Dedupe.Off());
    assertThat(parse(HEAD + "clean: {outliers: {method: iqr}}\n").clean().outliers())
        .isEqualTo(new CleanSpec.Outliers.Iqr(1.5));
    assertThat(parse(HEAD + "clean: {outliers: {method: zscore}}\n").clean().outliers())
        .isEqualTo(new CleanSpec.Outliers.ZScore(3));
    assertThat(parse(HEAD + "clean: {outliers: {method: iqr, factor: 3}}\n").clean().outliers())
        .isEqualTo(new CleanSpec.Outliers.Iqr(3));
  }

  @Test
  void cleaningProblemsNameTheKeyAndLine() {
    String msg =
        problems(
            HEAD
                + """
                clean:
                  dedupe: yes please
                  drop_missing_target: 1
                  outliers: {method: iqr, threshold: 3}
                  dropna: true
                """);
    assertThat(msg)
        .contains("flywheel.yaml:6: clean.dedupe: expected true, false or {key: [columns]}")
        .contains("flywheel.yaml:7: clean.drop_missing_target: expected true or false")
        .contains("flywheel.yaml:8: clean.outliers.threshold: unknown key 'threshold'")
        .contains("allowed keys: method, factor")
        .contains("flywheel.yaml:9: clean.dropna: unknown key 'dropna'");
    assertThat(problems(HEAD + "clean: {outliers: {factor: 2}}\n"))
        .contains("clean.outliers: required key 'method' is missing");
    assertThat(problems(HEAD + "clean: {outliers: {method: mad}}\n"))
        .contains("clean.outliers.method: 'mad' is not allowed; use iqr|zscore");
    assertThat(problems(HEAD + "clean: {outliers: {method: iqr, factor: 0}}\n"))
        .contains("clean.outliers.factor: 0.0 is out of range; it must be > 0");
    assertThat(problems(HEAD + "clean: {dedupe: {key: []}}\n"))
        .contains("clean.dedupe.key: an empty key");
    assertThat(problems(HEAD + "clean: {dedupe: {on: [a]}}\n"))
        .contains("clean.dedupe.on: unknown key 'on'");
    assertThat(problems(HEAD + "clean: {columns: [income]}\n"))
        .contains("clean.columns: lists the columns the outlier rule checks, but there is no");
  }

  @Test
  void aHashSplitWritesTheSameLineageJsonAsBeforeAndOldLineageStillReads() throws Exception {
    Lineage lineage = new Lineage("r-1", "sha256:a", "sha256:b", SplitSpec.DEFAULT, 10);
    String json = Json.mapper().writeValueAsString(lineage);
    assertThat(json).doesNotContain("column").doesNotContain("folds");
    // Written before split.column and split.folds existed.
    String old =
        """
        {"run_id": "r-1", "data_hash": "sha256:a", "spec_hash": "sha256:b",
         "split": {"validation": 0.15, "test": 0.15, "seed": 42, "method": "hash", "stratify": true},
         "train_rows": 10}
        """;
    assertThat(Json.mapper().readValue(old, Lineage.class)).isEqualTo(lineage);
    Lineage grouped =
        new Lineage(
            "r-1", "sha256:a", "sha256:b", new SplitSpec(0.2, 0.1, 1, "group", true, "c", 5), 10);
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(grouped), Lineage.class))
        .isEqualTo(grouped);
  }
}
