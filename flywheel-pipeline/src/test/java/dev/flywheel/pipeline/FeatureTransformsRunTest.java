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
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.data.collect.CsvSource;
import dev.flywheel.ml.Trainers;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run with every kind of fitted transform and row filters: the filters clean training rows
 * only and are counted in the run's result; the bundle carries the fitted pipeline, and serving one
 * raw row at a time gives bit for bit what the run computed in batch.
 */
class FeatureTransformsRunTest {

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

  private static final String SPEC =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      features:
        impute: {numeric: median, categorical: most_frequent}
        encode: one_hot
        scale: standard
        columns:
          age: {impute: {constant: 0}, missing_indicator: true, clip: {quantiles: [0.01, 0.99]}, scale: robust, bin: {bins: 5, method: quantile}}
          plan: {encode: {one_hot: {max_categories: 2, other: true}}}
          region: {encode: frequency}
          signup: {date_parts: [year, month, day_of_week], missing_indicator: true}
        derive:
          debt_per_year: "debt_ratio / max(age, 18)"
          senior: "age >= 60"
      clean:
        filter: ["age >= 25", "region != 'north'"]
      candidates:
        - {algorithm: linear}
        - {algorithm: xgboost, params: {rounds: 20, max_depth: 3}}
      """;

  /** LoanData plus a signup date column, some of it missing or unparseable. */
  private List<String[]> writeData(int rows) throws IOException {
    List<String[]> data = LoanData.rows(rows, 5, 0);
    StringBuilder sb = new StringBuilder(String.join(",", LoanData.COLUMNS)).append(",signup\n");
    for (int i = 0; i < data.size(); i++) {
      String signup =
          i % 17 == 0
              ? ""
              : i % 23 == 0 ? "soon" : LocalDate.of(2020, 1, 1).plusDays(i * 3L).toString();
      sb.append(String.join(",", data.get(i))).append(',').append(signup).append('\n');
    }
    Files.writeString(dir.resolve("loans.csv"), sb);
    return data;
  }

  private RunResult run(String yaml) throws IOException {
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    return new TrainingRunner(workdir.metadata(), workdir.artifacts(), clock, Progress.NONE, 1)
        .run(SpecParser.parse(spec));
  }

  @Test
  void filtersCountTheirRowsAndTheBundleServesTheFittedTransformsWithoutSkew() throws Exception {
    List<String[]> data = writeData(1200);
    int young = 0;
    int north = 0;
    for (String[] row : data) {
      if (Integer.parseInt(row[2]) < 25) {
        young++;
      } else if (row[4].equals("north")) {
        north++;
      }
    }

    RunResult result = run(SPEC);

    assertThat(young).isPositive();
    assertThat(north).isPositive();
    RunResult.Cleaning cleaning = result.dataset().cleaning();
    assertThat(cleaning.filtered()).isEqualTo(young + north);
    assertThat(cleaning.filters())
        .containsExactly(
            new RunResult.FilterCount("age >= 25", young),
            new RunResult.FilterCount("region != 'north'", north));
    int splitRows = result.dataset().splits().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(splitRows).isEqualTo(result.dataset().rows());
    assertThat(result.dataset().rows()).isLessThanOrEqualTo(1200 - young - north);
    JsonNode json = Json.mapper().valueToTree(result);
    assertThat(json.at("/dataset/cleaning/filtered").asInt()).isEqualTo(young + north);
    assertThat(json.at("/dataset/cleaning/filters/1/removed").asInt()).isEqualTo(north);

    ModelVersion v =
        workdir
            .metadata()
            .alias("loans", MetadataStore.PRODUCTION)
            .orElseGet(() -> workdir.metadata().versions("loans").get(0));
    ModelBundle bundle =
        BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER);
    FeaturePipeline pipeline = bundle.pipeline();
    assertThat(bundle.manifest().formatVersion()).isEqualTo(2);
    assertThat(bundle.manifest().inputs())
        .extracting(InputField::name, InputField::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("income", "numeric"),
            org.assertj.core.groups.Tuple.tuple("debt_ratio", "numeric"),
            org.assertj.core.groups.Tuple.tuple("age", "numeric"),
            org.assertj.core.groups.Tuple.tuple("plan", "categorical"),
            org.assertj.core.groups.Tuple.tuple("region", "categorical"),
            org.assertj.core.groups.Tuple.tuple("signup", "timestamp"));
    assertThat(pipeline.outputNames())
        .containsSubsequence(
            "income",
            "debt_ratio",
            "age",
            "age=(missing)",
            "plan=(other)",
            "region",
            "signup.year",
            "signup.month",
            "signup.day_of_week",
            "signup=(missing)",
            "debt_per_year",
            "senior");
    assertThat(pipeline.inputs().get(pipeline.inputs().size() - 1))
        .isInstanceOf(InputFeature.Derived.class);
    InputFeature.Categorical region = (InputFeature.Categorical) pipeline.inputs().get(4);
    assertThat(region.categories())
        .as("fitted on filtered training rows: no north")
        .containsExactly("east", "south", "west");

    // Every raw row, filtered ones included: serving never drops a row, and one row at a time
    // gives bit for bit the batch vectors and predictions.
    Frame all =
        new CsvSource(dir.resolve("loans.csv")).read(Map.of("default", ColumnType.CATEGORICAL));
    double[][] batch = pipeline.transform(all);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < all.rowCount(); i++) {
      Map<String, Object> row = all.row(i);
      row.remove("default");
      rows.add(row);
      double[] single = pipeline.transform(row);
      for (int k = 0; k < single.length; k++) {
        assertThat(Double.doubleToRawLongBits(single[k]))
            .as("row %d output %s", i, pipeline.outputNames().get(k))
            .isEqualTo(Double.doubleToRawLongBits(batch[i][k]));
      }
    }
    Predictions.Probabilities together = (Predictions.Probabilities) bundle.predict(rows);
    for (int i = 0; i < 60; i++) {
      Predictions.Probabilities one =
          (Predictions.Probabilities) bundle.predict(List.of(rows.get(i)));
      assertThat(one.probabilities()[0]).containsExactly(together.probabilities()[i]);
    }
  }

  @Test
  void aFilterOnAnUnknownColumnStopsTheRunNamingTheSpecLine() throws IOException {
    writeData(200);

    assertThatThrownBy(
            () ->
                run(
                    """
                    name: loans
                    task: classification
                    target: default
                    source: {csv: loans.csv}
                    clean:
                      filter:
                        - "age >= 25"
                        - "regoin == 'north'"
                    """))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("flywheel.yaml:8 (clean.filter[1])")
        .hasMessageContaining("unknown column 'regoin' (did you mean 'region'?)");
  }

  @Test
  void aRunWithoutFiltersHasNoFilterCounts() throws IOException {
    writeData(300);

    RunResult result =
        run(SPEC.substring(0, SPEC.indexOf("features:")) + "candidates: [{algorithm: linear}]\n");

    assertThat(result.dataset().cleaning().filtered()).isNull();
    assertThat(result.dataset().cleaning().filters()).isNull();
    JsonNode cleaning = Json.mapper().valueToTree(result).at("/dataset/cleaning");
    assertThat(cleaning.has("filtered")).isFalse();
    assertThat(cleaning.has("filters")).isFalse();
    assertThat(cleaning.has("duplicates")).isTrue();
  }
}
