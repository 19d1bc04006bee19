package dev.flywheel.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ModelLoader;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.core.spec.SplitSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class BundleIOTest {

  /** A linear regression model small enough to read: its bytes are its weights as text. */
  record TinyModel(double[] weights) implements Model {
    @Override
    public Algorithm algorithm() {
      return Algorithm.LINEAR;
    }

    @Override
    public Task task() {
      return Task.REGRESSION;
    }

    @Override
    public int width() {
      return weights.length;
    }

    @Override
    public Predictions predict(double[][] x) {
      double[] out = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < weights.length; j++) {
          out[i] += weights[j] * x[i][j];
        }
      }
      return new Predictions.Values(out);
    }

    @Override
    public byte[] toBytes() {
      return Arrays.stream(weights)
          .mapToObj(Double::toString)
          .collect(Collectors.joining(","))
          .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String fileName() {
      return "model.tiny";
    }

    static TinyModel parse(byte[] bytes) {
      return new TinyModel(
          Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split(","))
              .mapToDouble(Double::parseDouble)
              .toArray());
    }
  }

  private static final ModelLoader LOADER =
      (algorithm, task, classes, width, bytes) -> {
        TinyModel m = TinyModel.parse(bytes);
        assertThat(m.width()).isEqualTo(width);
        return m;
      };

  private static ModelBundle bundle() {
    FeaturePipeline pipeline =
        new FeaturePipeline(
            List.of(
                new InputFeature.Numeric("size_m2", 101.5),
                new InputFeature.Categorical("location", "city", List.of("city", "rural"))));
    Map<String, Number> params = new LinkedHashMap<>();
    params.put("rounds", 200);
    params.put("max_depth", 6);
    params.put("eta", 0.1);
    params.put("alpha", 0);
    params.put("gamma", 0.5);
    params.put("lambda", 1.0);
    Manifest manifest =
        new Manifest(
            Manifest.FORMAT_VERSION,
            "houses",
            Task.REGRESSION,
            "price",
            Algorithm.LINEAR,
            "linear",
            params,
            List.of(),
            null,
            List.of(
                new InputField("size_m2", "numeric", List.of()),
                new InputField("location", "categorical", List.of("city", "rural"))),
            Map.of("test", Map.of("rmse", 1234.5)),
            new Lineage("r-000001", "sha256:abc", "sha256:def", SplitSpec.DEFAULT, 700),
            "0.1.0-test",
            Map.of());
    ReferenceProfile profile =
        new ReferenceProfile(
            700,
            List.of(
                new FeatureProfile.Numeric(
                    "size_m2",
                    List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0),
                    List.of(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05)),
                new FeatureProfile.Categorical(
                    "location", List.of("city", "rural"), List.of(0.6, 0.4, 0.0, 0.0))));
    return new ModelBundle(
        manifest, pipeline, new TinyModel(new double[] {2.0, 10.0, -5.0}), profile);
  }

  @Test
  void readsBackWhatItWrote() {
    ModelBundle original = bundle();

    ModelBundle read = BundleIO.read(BundleIO.write(original), "test.zip", LOADER);

    Manifest m = read.manifest();
    assertThat(m.withFiles(Map.of())).isEqualTo(original.manifest());
    assertThat(m.files()).containsOnlyKeys("model.tiny", "pipeline.json", "profile.json");
    assertThat(m.files().get("model.tiny")).isEqualTo(BundleIO.sha256(original.model().toBytes()));
    assertThat(read.pipeline().inputs()).isEqualTo(original.pipeline().inputs());
    assertThat(read.profile()).isEqualTo(original.profile());
    assertThat(read.model().toBytes()).isEqualTo(original.model().toBytes());
    Predictions.Values p =
        (Predictions.Values) read.predict(List.of(Map.of("size_m2", 3.0, "location", "rural")));
    assertThat(p.values()).containsExactly(2.0 * 3 - 5.0);
  }

  @Test
  void lineageKeepsFeedbackUntilAndOldManifestsWithoutItStillLoad() throws IOException {
    ModelBundle original = bundle();
    Manifest m = original.manifest();
    Lineage retrained =
        new Lineage(
            "r-000002",
            "sha256:abc",
            "sha256:def",
            SplitSpec.DEFAULT,
            900,
            java.time.Instant.parse("2026-11-26T10:05:00.123456789Z"));
    ModelBundle withFeedback =
        new ModelBundle(
            new Manifest(
                m.formatVersion(),
                m.name(),
                m.task(),
                m.target(),
                m.algorithm(),
                m.candidate(),
                m.params(),
                m.classes(),
                m.positive(),
                m.inputs(),
                m.metrics(),
                retrained,
                m.flywheelVersion(),
                m.files()),
            original.pipeline(),
            original.model(),
            original.profile());

    Lineage read =
        BundleIO.read(BundleIO.write(withFeedback), "b.zip", LOADER).manifest().lineage();
    JsonNode oldManifest =
        Json.mapper().readTree(entries(BundleIO.write(original)).get("manifest.json"));

    assertThat(read).isEqualTo(retrained);
    assertThat(oldManifest.get("lineage").has("feedback_until"))
        .as("a lineage without feedback writes the same bytes as before the field existed")
        .isFalse();
    assertThat(BundleIO.read(BundleIO.write(original), "b.zip", LOADER).manifest().lineage())
        .isEqualTo(original.manifest().lineage())
        .extracting(Lineage::feedbackUntil)
        .isNull();
  }

  @Test
  void sameContentGivesIdenticalBytes() {
    assertThat(BundleIO.write(bundle())).isEqualTo(BundleIO.write(bundle()));
  }

  @Test
  void bytesDoNotDependOnTheDefaultTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
      byte[] utc = BundleIO.write(bundle());
      TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
      byte[] west = BundleIO.write(bundle());
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      byte[] east = BundleIO.write(bundle());

      assertThat(west).isEqualTo(utc);
      assertThat(east).isEqualTo(utc);
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void manifestListsMapKeysInSortedOrderSoBytesMatchAcrossProcesses() throws IOException {
    // Map.copyOf iterates in an order salted per JVM start: writing maps in that order would make
    // the same bundle give different bytes in two processes.
    JsonNode manifest =
        Json.mapper().readTree(entries(BundleIO.write(bundle())).get("manifest.json"));

    assertThat(fieldNames(manifest.get("params")))
        .containsExactly("alpha", "eta", "gamma", "lambda", "max_depth", "rounds");
    assertThat(fieldNames(manifest.get("files")))
        .containsExactly("model.tiny", "pipeline.json", "profile.json");
  }

  @Test
  void zipEntriesComeInAFixedOrderWithAFixedTimestamp() throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream zip =
        new ZipInputStream(new ByteArrayInputStream(BundleIO.write(bundle())))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertThat(e.getTimeLocal()).hasToString("1980-01-01T00:00:02");
        assertThat(e.getExtra()).as("no zone-dependent extended timestamp").isNull();
      }
    }
    assertThat(names)
        .containsExactly(
            "manifest.json", "model.tiny", "pipeline.json", "profile.json", "run.json");
  }

  @Test
  void theRunIdIsKeptOutOfTheContentSoRetrainingTheSameModelGivesTheSameContentDigest()
      throws IOException {
    ModelBundle first = bundle();
    Manifest m = first.manifest();
    ModelBundle second =
        new ModelBundle(
            m.withLineage(m.lineage().withRunId("r-000777")),
            first.pipeline(),
            first.model(),
            first.profile());
    byte[] a = BundleIO.write(first);
    byte[] b = BundleIO.write(second);

    assertThat(a).isNotEqualTo(b);
    assertThat(BundleIO.contentDigest(a))
        .startsWith("sha256:")
        .isEqualTo(BundleIO.contentDigest(b));
    assertThat(BundleIO.read(a, "a.zip", LOADER).manifest().lineage().runId())
        .isEqualTo("r-000001");
    assertThat(BundleIO.read(b, "b.zip", LOADER).manifest().lineage().runId())
        .isEqualTo("r-000777");
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(a))) {
      zip.getNextEntry();
      assertThat(new String(zip.readAllBytes(), StandardCharsets.UTF_8)).doesNotContain("r-000001");
    }
    // Any change to the content changes the digest.
    Lineage l = m.lineage();
    ModelBundle otherData =
        new ModelBundle(
            m.withLineage(
                new Lineage(l.runId(), "sha256:other", l.specHash(), l.split(), l.trainRows())),
            first.pipeline(),
            first.model(),
            first.profile());
    assertThat(BundleIO.contentDigest(BundleIO.write(otherData)))
        .isNotEqualTo(BundleIO.contentDigest(a));
  }

  @Test
  void refusesATamperedFileNamingItAndSha256() {
    byte[] tampered =
        rewrite(
            BundleIO.write(bundle()),
            Map.of("model.tiny", old -> "2.0,10.0,5.0".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> BundleIO.read(tampered, "models/houses/bundle.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("models/houses/bundle.zip")
        .hasMessageContaining("model.tiny")
        .hasMessageContaining("SHA-256")
        .hasMessageContaining("corrupt");
  }

  @Test
  void refusesATamperedPipeline() {
    byte[] tampered =
        rewrite(
            BundleIO.write(bundle()),
            Map.of(
                "pipeline.json",
                old ->
                    new String(old, StandardCharsets.UTF_8)
                        .replace("101.5", "0.0")
                        .getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> BundleIO.read(tampered, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("pipeline.json has SHA-256");
  }

  @Test
  void refusesANewerFormatSayingToUpgrade() {
    byte[] newer =
        rewrite(
            BundleIO.write(bundle()),
            Map.of("manifest.json", old -> editManifest(old, m -> m.put("format_version", 99))));

    assertThatThrownBy(() -> BundleIO.read(newer, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("format version 99")
        .hasMessageContaining("Upgrade Flywheel");
  }

  @Test
  void refusesANewerFormatWithFieldsItDoesNotKnowSayingToUpgrade() {
    // A newer format is likely to add manifest fields; the reader must still say "upgrade" rather
    // than call the bundle corrupt.
    byte[] newer =
        rewrite(
            BundleIO.write(bundle()),
            Map.of(
                "manifest.json",
                old ->
                    editManifest(
                        old,
                        m -> {
                          m.put("format_version", Manifest.FORMAT_VERSION + 1);
                          m.put("signature", "abc");
                          m.put("task", "ranking");
                        })));

    assertThatThrownBy(() -> BundleIO.read(newer, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("format version " + (Manifest.FORMAT_VERSION + 1))
        .hasMessageContaining("Upgrade Flywheel");
  }

  @Test
  void refusesABundleWithoutAManifest() {
    byte[] bytes = rewrite(BundleIO.write(bundle()), Map.of("manifest.json", old -> null));

    assertThatThrownBy(() -> BundleIO.read(bytes, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("b.zip")
        .hasMessageContaining("no manifest.json");
  }

  @Test
  void refusesABundleMissingAListedFile() {
    byte[] bytes = rewrite(BundleIO.write(bundle()), Map.of("profile.json", old -> null));

    assertThatThrownBy(() -> BundleIO.read(bytes, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("profile.json")
        .hasMessageContaining("absent");
  }

  @Test
  void refusesAManifestThatDoesNotListThePipeline() {
    byte[] bytes =
        rewrite(
            BundleIO.write(bundle()),
            Map.of(
                "manifest.json",
                old ->
                    editManifest(old, m -> ((ObjectNode) m.get("files")).remove("pipeline.json"))));

    assertThatThrownBy(() -> BundleIO.read(bytes, "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("b.zip is corrupt")
        .hasMessageContaining("does not list pipeline.json");
  }

  @Test
  void refusesBytesThatAreNotABundle() {
    assertThatThrownBy(
            () -> BundleIO.read("hello".getBytes(StandardCharsets.UTF_8), "b.zip", LOADER))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("b.zip is corrupt");
  }

  // ---- helpers: read and rewrite zips ----

  private static Map<String, byte[]> entries(byte[] zipBytes) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        out.put(e.getName(), zip.readAllBytes());
      }
    }
    return out;
  }

  /** Rewrites the named entries; an edit returning null removes the entry. */
  private static byte[] rewrite(byte[] zipBytes, Map<String, UnaryOperator<byte[]>> edits) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        for (var e : entries(zipBytes).entrySet()) {
          byte[] content =
              edits.getOrDefault(e.getKey(), UnaryOperator.identity()).apply(e.getValue());
          if (content != null) {
            zip.putNextEntry(new ZipEntry(e.getKey()));
            zip.write(content);
            zip.closeEntry();
          }
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] editManifest(
      byte[] manifest, java.util.function.Consumer<ObjectNode> edit) {
    try {
      ObjectNode node = (ObjectNode) Json.mapper().readTree(manifest);
      edit.accept(node);
      return Json.mapper().writeValueAsBytes(node);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  @Test
  void manifestWithoutThresholdOrImportanceFromOlderFlywheelLoadsWithHalf() throws IOException {
    ModelBundle original = bundle();
    ModelBundle binary =
        new ModelBundle(
            classifier(original.manifest()),
            original.pipeline(),
            original.model(),
            original.profile());
    // Exactly the manifest an older Flywheel wrote: no threshold and no importance keys.
    JsonNode old = Json.mapper().readTree(entries(BundleIO.write(binary)).get("manifest.json"));
    assertThat(old.has("threshold")).isFalse();
    assertThat(old.has("importance")).isFalse();

    Manifest read = BundleIO.read(BundleIO.write(binary), "old.zip", LOADER).manifest();

    assertThat(read.threshold()).isNull();
    assertThat(read.decisionRule().binary()).isTrue();
    assertThat(read.decisionRule().threshold()).isEqualTo(0.5);
    assertThat(read.decisionRule().decide(new double[] {0.5, 0.5})).isEqualTo(1);
    assertThat(read.decisionRule().decide(new double[] {0.51, 0.49})).isEqualTo(0);
  }

  @Test
  void thresholdAndImportanceRoundTrip() {
    ModelBundle original = bundle();
    FeatureImportance importance =
        new FeatureImportance(
            new FeatureImportance.ModelBased(
                "coefficient",
                List.of(
                    new FeatureImportance.Feature("size_m2", "size_m2", -1.5),
                    new FeatureImportance.Feature("location=city", "location", 0.25),
                    new FeatureImportance.Feature("location=rural", "location", -0.25)),
                List.of(
                    new FeatureImportance.Column("size_m2", 1.5),
                    new FeatureImportance.Column("location", 0.5))),
            new FeatureImportance.Permutation(
                "auc",
                3,
                42,
                450,
                0.91,
                List.of(
                    new FeatureImportance.Drop("size_m2", 0.2, 0.01),
                    new FeatureImportance.Drop("location", 0.01, 0.002))));
    ModelBundle withDecision =
        new ModelBundle(
                classifier(original.manifest()),
                original.pipeline(),
                original.model(),
                original.profile())
            .withDecision(0.3125, importance);

    Manifest read = BundleIO.read(BundleIO.write(withDecision), "b.zip", LOADER).manifest();

    assertThat(read.threshold()).isEqualTo(0.3125);
    assertThat(read.importance()).isEqualTo(importance);
    assertThat(read.decisionRule().decide(new double[] {0.65, 0.35})).isEqualTo(1);
  }

  /** The test manifest as a binary classifier's (the tiny model's task does not matter here). */
  private static Manifest classifier(Manifest m) {
    return new Manifest(
        m.formatVersion(),
        m.name(),
        Task.CLASSIFICATION,
        m.target(),
        m.algorithm(),
        m.candidate(),
        m.params(),
        List.of("no", "yes"),
        "yes",
        m.inputs(),
        m.metrics(),
        m.lineage(),
        m.flywheelVersion(),
        m.files());
  }
}
