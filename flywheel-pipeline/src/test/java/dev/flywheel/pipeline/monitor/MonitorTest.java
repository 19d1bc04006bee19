package dev.flywheel.pipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.Progress;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.bundle.ModelBundle;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.spec.SpecParser;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.pipeline.TrainingRunner;
import dev.flywheel.store.Workdir;
import dev.flywheel.testkit.LoanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor on a trained model in a real workdir (SQLite and a folder). */
class MonitorTest {

  private static final String LOANS =
      """
      name: loans
      task: classification
      target: default
      source: {csv: loans.csv}
      candidates: [{algorithm: xgboost, params: {rounds: 30, max_depth: 3}}]
      """;

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  @TempDir Path dir;

  private Workdir workdir;
  private Monitor monitor;
  private long ids;

  @BeforeEach
  void open() {
    workdir = Workdir.open(dir.resolve("work"));
    monitor =
        new Monitor(
            workdir.metadata(), workdir.artifacts(), workdir.predictionLog(), workdir.feedback());
  }

  @AfterEach
  void close() {
    workdir.close();
  }

  private ModelVersion train(String yaml) throws IOException {
    if (!Files.exists(dir.resolve("loans.csv"))) {
      LoanData.writeCsv(dir.resolve("loans.csv"), 1200, 21, 0);
    }
    Path spec = Files.writeString(dir.resolve("flywheel.yaml"), yaml);
    RunResult result =
        new TrainingRunner(
                workdir.metadata(), workdir.artifacts(), Clock.systemUTC(), Progress.NONE, 1)
            .run(SpecParser.parse(spec));
    assertThat(result.promoted()).as("the run promotes its model").isTrue();
    return workdir.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow();
  }

  private ModelBundle bundle(ModelVersion v) {
    return BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER);
  }

  /** A logged prediction with the truth the traffic generator knew. */
  record Logged(PredictionRecord record, String predicted, String truth) {}

  /**
   * Scores generated loan traffic with a version's bundle and logs it as the server would: the
   * instance as JSON, the answer as JSON, one millisecond apart from {@code start}.
   */
  private List<Logged> serve(ModelVersion v, int n, long seed, double drift, Instant start) {
    ModelBundle bundle = bundle(v);
    List<String[]> cells = LoanData.rows(n, seed, drift);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String[] c : cells) {
      Map<String, Object> row = new HashMap<>();
      row.put("income", c[0].isEmpty() ? null : Double.parseDouble(c[0]));
      row.put("debt_ratio", Double.parseDouble(c[1]));
      row.put("age", Double.parseDouble(c[2]));
      row.put("plan", c[3].isEmpty() ? null : c[3]);
      row.put("region", c[4]);
      rows.add(row);
    }
    Predictions.Probabilities p = (Predictions.Probabilities) bundle.predict(rows);
    // Labels as the server decides them: at the bundle's threshold.
    var rule = bundle.manifest().decisionRule();
    List<Logged> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode answer = Json.mapper().createObjectNode();
      answer.put("label", rule.label(p, i));
      ObjectNode probabilities = answer.putObject("probabilities");
      for (int k = 0; k < p.classes().size(); k++) {
        probabilities.put(p.classes().get(k), p.probabilities()[i][k]);
      }
      PredictionRecord r =
          new PredictionRecord(
              String.format("01TEST%020d", ids++),
              start.plusMillis(i),
              "loans",
              v.version(),
              Json.mapper().valueToTree(rows.get(i)).toString(),
              answer.toString());
      assertThat(workdir.predictionLog().offer(r)).isTrue();
      out.add(new Logged(r, rule.label(p, i), cells.get(i)[5]));
    }
    workdir.predictionLog().flush();
    return out;
  }

  private void feedBack(List<Logged> logged) {
    List<FeedbackItem> items = new ArrayList<>();
    for (Logged l : logged) {
      items.add(new FeedbackItem(l.record().id(), l.truth()));
    }
    assertThat(workdir.feedback().record("loans", items, T0.plusSeconds(3600)).accepted())
        .isEqualTo(logged.size());
  }

  private static double psi(MonitoringReport report, String feature) {
    return report.drift().features().stream()
        .filter(f -> f.name().equals(feature))
        .findFirst()
        .orElseThrow()
        .psi();
  }

  @Test
  void undriftedTrafficDoesNotDrift() throws IOException {
    ModelVersion v1 = train(LOANS);
    serve(v1, 1000, 5, 0, T0);

    MonitoringReport report = monitor.report("loans").orElseThrow();

    assertThat(report.model()).isEqualTo("loans");
    assertThat(report.modelVersion()).isEqualTo(1);
    assertThat(report.window())
        .isEqualTo(new MonitoringReport.Window(1000, T0, T0.plusMillis(999)));
    assertThat(report.drift().method()).isEqualTo("psi");
    assertThat(report.drift().threshold()).isEqualTo(0.2);
    assertThat(report.drift().drifted()).isFalse();
    assertThat(report.drift().features())
        .extracting(MonitoringReport.FeatureDrift::name)
        .containsExactly("income", "debt_ratio", "age", "plan", "region");
    assertThat(report.drift().features()).allSatisfy(f -> assertThat(f.psi()).isLessThan(0.1));
    assertThat(report.retraining()).isEqualTo(RetrainingStatus.NONE);
  }

  @Test
  void driftedTrafficDriftsOnTheShiftedFeatures() throws IOException {
    ModelVersion v1 = train(LOANS);
    serve(v1, 1000, 5, 1.0, T0);

    MonitoringReport report = monitor.report("loans").orElseThrow();

    assertThat(report.drift().drifted()).isTrue();
    assertThat(psi(report, "income")).isGreaterThanOrEqualTo(0.2);
    assertThat(psi(report, "debt_ratio")).isGreaterThanOrEqualTo(0.2);
    assertThat(report.drift().driftedFeatures()).containsExactlyInAnyOrder("income", "debt_ratio");
    assertThat(psi(report, "age")).isLessThan(0.1);
    assertThat(psi(report, "plan")).isLessThan(0.1);
  }

  @Test
  void onlyTheProductionVersionsPredictionsCount() throws IOException {
    ModelVersion v1 = train(LOANS);
    serve(v1, 1000, 5, 1.0, T0); // drifted traffic, answered by version 1
    ModelVersion v2 = train(LOANS + "# retrained\n");
    assertThat(v2.version()).isEqualTo(2);
    serve(v2, 300, 6, 0, T0.plusSeconds(60)); // undrifted, answered by version 2

    MonitoringReport second = monitor.report("loans").orElseThrow();

    assertThat(second.modelVersion()).isEqualTo(2);
    assertThat(second.window().predictions()).isEqualTo(300);
    assertThat(second.window().from()).isEqualTo(T0.plusSeconds(60));
    assertThat(second.drift().drifted()).isFalse();

    // More traffic for version 2: later reports scan from where version 2 began, and see it all.
    serve(v2, 200, 7, 0, T0.plusSeconds(120));
    assertThat(monitor.report("loans").orElseThrow().window().predictions()).isEqualTo(500);

    // Back to version 1: its own (drifted) window again.
    workdir.metadata().setAlias("loans", MetadataStore.PRODUCTION, 1, T0.plusSeconds(180));
    MonitoringReport first = monitor.report("loans").orElseThrow();
    assertThat(first.modelVersion()).isEqualTo(1);
    assertThat(first.window().predictions()).isEqualTo(1000);
    assertThat(first.window().to()).isEqualTo(T0.plusMillis(999));
    assertThat(first.drift().drifted()).isTrue();
  }

  @Test
  void theWindowAndThresholdComeFromTheSpecTheVersionWasTrainedWith() throws IOException {
    ModelVersion v1 = train(LOANS + "monitoring: {drift: {window: 300, threshold: 0.5}}\n");
    serve(v1, 1000, 5, 0, T0);

    MonitoringReport report = monitor.report("loans").orElseThrow();

    assertThat(report.window())
        .as("the newest 300")
        .isEqualTo(new MonitoringReport.Window(300, T0.plusMillis(700), T0.plusMillis(999)));
    assertThat(report.drift().threshold()).isEqualTo(0.5);
  }

  @Test
  void accuracyOnFeedbackEqualsTheHandCountedShareAndIsDegradedBelowMin() throws IOException {
    ModelVersion v1 =
        train(
            LOANS + "monitoring: {performance: {metric: accuracy, min: 0.99, min_labels: 200}}\n");
    List<Logged> logged = serve(v1, 400, 5, 0, T0);
    List<Logged> labelled = logged.subList(100, 350);
    feedBack(labelled);
    long right = labelled.stream().filter(l -> l.predicted().equals(l.truth())).count();

    MonitoringReport.Performance p = monitor.report("loans").orElseThrow().performance();

    assertThat(p.metric()).isEqualTo("accuracy");
    assertThat(p.labels()).isEqualTo(250);
    assertThat(p.value()).isCloseTo(right / 250.0, within(1e-12));
    assertThat(p.value()).as("a real model, below the impossible floor").isLessThan(0.99);
    assertThat(p.min()).isEqualTo(0.99);
    assertThat(p.degraded()).isTrue();
  }

  @Test
  void performanceIsNotDegradedWithFewerLabelsThanMinLabels() throws IOException {
    ModelVersion v1 =
        train(
            LOANS + "monitoring: {performance: {metric: accuracy, min: 0.99, min_labels: 200}}\n");
    List<Logged> logged = serve(v1, 400, 5, 0, T0);
    feedBack(logged.subList(0, 150));

    MonitoringReport.Performance p = monitor.report("loans").orElseThrow().performance();

    assertThat(p.labels()).isEqualTo(150);
    assertThat(p.value()).isLessThan(0.99);
    assertThat(p.degraded()).isFalse();
  }

  @Test
  void labelsOfAnotherVersionDoNotCount() throws IOException {
    ModelVersion v1 = train(LOANS);
    feedBack(serve(v1, 300, 5, 0, T0));
    ModelVersion v2 = train(LOANS + "# retrained\n");
    List<Logged> second = serve(v2, 100, 6, 0, T0.plusSeconds(60));
    feedBack(second.subList(0, 40));

    MonitoringReport report = monitor.report("loans").orElseThrow();

    assertThat(report.modelVersion()).isEqualTo(2);
    assertThat(report.performance().labels()).isEqualTo(40);
  }

  @Test
  void aModelWithoutAProductionVersionHasNoReport() throws IOException {
    assertThat(monitor.report("loans")).isEmpty();
    assertThat(monitor.productionModels()).isEmpty();

    train(LOANS);

    assertThat(monitor.productionModels()).containsExactly("loans");
    MonitoringReport empty = monitor.report("loans").orElseThrow();
    assertThat(empty.window()).isEqualTo(new MonitoringReport.Window(0, null, null));
    assertThat(empty.drift().drifted()).isFalse();
    assertThat(empty.performance().value()).isNull();
  }

  @Test
  void theReportIsTheMonitoringDocumentOfInterfacesMd() throws Exception {
    ModelVersion v1 = train(LOANS);
    feedBack(serve(v1, 250, 5, 1.0, T0));
    RetrainingStatus retraining =
        new RetrainingStatus(false, new RetrainingStatus.Last("r-000043", "drift", true));

    MonitoringReport report = monitor.report("loans", retraining).orElseThrow();
    String json = Json.mapper().writeValueAsString(report);
    JsonNode tree = Json.mapper().readTree(json);

    assertThat(fieldNames(tree))
        .containsExactly("model", "model_version", "window", "drift", "performance", "retraining");
    assertThat(fieldNames(tree.get("window"))).containsExactly("predictions", "from", "to");
    assertThat(tree.at("/window/from").asText()).isEqualTo("2026-11-26T10:00:00Z");
    assertThat(tree.at("/window/to").asText()).isEqualTo("2026-11-26T10:00:00.249Z");
    assertThat(fieldNames(tree.get("drift")))
        .containsExactly("method", "threshold", "drifted", "features");
    assertThat(fieldNames(tree.at("/drift/features/0"))).containsExactly("name", "psi", "drifted");
    assertThat(tree.at("/drift/features/0/psi").isNumber()).isTrue();
    assertThat(fieldNames(tree.get("performance")))
        .containsExactly("metric", "value", "labels", "min", "degraded");
    assertThat(tree.at("/performance/min").isNull()).isTrue();
    assertThat(tree.at("/performance/labels").asInt()).isEqualTo(250);
    assertThat(fieldNames(tree.get("retraining"))).containsExactly("in_progress", "last");
    assertThat(fieldNames(tree.at("/retraining/last")))
        .containsExactly("run_id", "trigger", "promoted");
    assertThat(Json.mapper().readValue(json, MonitoringReport.class)).isEqualTo(report);

    JsonNode none =
        Json.mapper().valueToTree(report.withRetraining(RetrainingStatus.NONE)).get("retraining");
    assertThat(none.toString()).isEqualTo("{\"in_progress\":false,\"last\":null}");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
