package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.pipeline.RunResult;
import dev.flywheel.store.Workdir;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A binary model's served label follows the threshold its bundle records, over real HTTP (v1 and
 * v2); a bundle from before thresholds existed serves with 0.5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThresholdServingTest {

  private static final double THRESHOLD = 0.2;

  private Workdir workdir;
  private FlywheelServer server;
  private Http http;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    workdir = Workdir.open(dir.resolve("work"));
    SplittableRandom r = new SplittableRandom(5);
    StringBuilder csv = new StringBuilder("amount,channel,fraud\n");
    for (int i = 0; i < 3000; i++) {
      double amount = r.nextGaussian();
      String channel = r.nextBoolean() ? "web" : "app";
      double z = 2 * amount - 3 + (channel.equals("web") ? 1 : 0);
      csv.append(
          String.format(
              Locale.ROOT,
              "%.5f,%s,%s%n",
              amount,
              channel,
              r.nextDouble() < 1 / (1 + Math.exp(-z)) ? "yes" : "no"));
    }
    Files.writeString(dir.resolve("fraud.csv"), csv.toString());
    RunResult run =
        Models.train(
            workdir,
            dir,
            """
            name: fraud
            task: classification
            target: fraud
            positive: "yes"
            source: {csv: fraud.csv}
            candidates: [{algorithm: linear}]
            selection: {threshold: {method: fixed, value: 0.2}}
            """);
    assertThat(run.selected().threshold()).isEqualTo(THRESHOLD);
    registerAsOlderBundle(workdir, "legacy", run.runId());
    server =
        FlywheelServer.start(
            workdir, ServerConfig.defaults().withPort(0).withPollInterval(Duration.ofMillis(200)));
    http = new Http(server.port());
  }

  /**
   * The fraud bundle as an older Flywheel wrote it (no threshold or importance in its manifest),
   * registered as model {@code legacy}.
   */
  private static void registerAsOlderBundle(Workdir workdir, String name, String runId)
      throws IOException {
    ModelVersion v = workdir.metadata().alias("fraud", MetadataStore.PRODUCTION).orElseThrow();
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream zip =
        new ZipInputStream(new ByteArrayInputStream(workdir.artifacts().get(v.bundleKey())))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        files.put(e.getName(), zip.readAllBytes());
      }
    }
    ObjectNode manifest = (ObjectNode) Json.mapper().readTree(files.get("manifest.json"));
    assertThat(manifest.get("threshold").asDouble()).isEqualTo(THRESHOLD);
    manifest.remove("threshold");
    manifest.remove("importance");
    manifest.put("name", name);
    files.put("manifest.json", Json.mapper().writeValueAsBytes(manifest));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    String key = "models/" + name + "/" + runId + "/bundle.zip";
    workdir.artifacts().put(key, out.toByteArray());
    ModelVersion legacy =
        workdir
            .metadata()
            .registerVersion(
                name,
                runId,
                key,
                v.dataHash(),
                v.algorithm(),
                v.candidate(),
                v.metrics(),
                Instant.parse("2026-01-01T00:00:00Z"));
    workdir
        .metadata()
        .setAlias(
            name,
            MetadataStore.PRODUCTION,
            legacy.version(),
            Instant.parse("2026-01-01T00:00:00Z"));
  }

  @AfterAll
  void stop() {
    server.close();
    workdir.close();
  }

  /** Instances over a range of amounts, so that P(yes) spans both sides of 0.2 and of 0.5. */
  private static String instances() {
    StringBuilder sb = new StringBuilder("{\"instances\": [");
    for (int i = 0; i <= 40; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "{\"amount\": %.3f, \"channel\": \"%s\"}",
              -1 + i * 0.075,
              i % 2 == 0 ? "web" : "app"));
    }
    return sb.append("]}").toString();
  }

  @Test
  void v1LabelIsPositiveExactlyWhenItsProbabilityReachesTheThreshold() {
    Http.Response r = http.post("/v1/models/fraud:predict", instances());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    int betweenThresholdAndHalf = 0;
    for (JsonNode p : r.json().get("predictions")) {
      double yes = p.at("/probabilities/yes").asDouble();
      assertThat(p.get("label").asText())
          .as("P(yes) = %s", yes)
          .isEqualTo(yes >= THRESHOLD ? "yes" : "no");
      if (yes >= THRESHOLD && yes < 0.5) {
        betweenThresholdAndHalf++;
      }
    }
    assertThat(betweenThresholdAndHalf)
        .as("rows that argmax would label 'no' and the threshold labels 'yes'")
        .isGreaterThan(3);
  }

  @Test
  void v2LabelsFollowTheThresholdToo() {
    String body =
        """
        {"inputs": [
          {"name": "amount", "shape": [3], "datatype": "FP64", "data": [-2.0, 0.6, 3.0]},
          {"name": "channel", "shape": [3], "datatype": "BYTES", "data": ["app", "web", "web"]}
        ]}
        """;
    JsonNode json = http.post("/v2/models/fraud/infer", body).json();

    JsonNode labels = json.at("/outputs/0/data");
    JsonNode probabilities = json.at("/outputs/1/data");
    JsonNode classes = json.at("/outputs/1/parameters/classes");
    int yes = classes.get(0).asText().equals("yes") ? 0 : 1;
    assertThat(classes.get(yes).asText()).isEqualTo("yes");
    for (int i = 0; i < 3; i++) {
      double p = probabilities.get(2 * i + yes).asDouble();
      assertThat(labels.get(i).asText())
          .as("P(yes) = %s", p)
          .isEqualTo(p >= THRESHOLD ? "yes" : "no");
    }
  }

  @Test
  void aBundleWithoutAThresholdServesWithHalf() {
    Http.Response r = http.post("/v1/models/legacy:predict", instances());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    int seenBetween = 0;
    for (JsonNode p : r.json().get("predictions")) {
      double yes = p.at("/probabilities/yes").asDouble();
      assertThat(p.get("label").asText())
          .as("P(yes) = %s", yes)
          .isEqualTo(yes >= 0.5 ? "yes" : "no");
      seenBetween += yes >= THRESHOLD && yes < 0.5 ? 1 : 0;
    }
    assertThat(seenBetween).isGreaterThan(3);
  }
}
