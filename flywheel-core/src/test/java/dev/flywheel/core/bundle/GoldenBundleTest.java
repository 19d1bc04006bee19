package dev.flywheel.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.ModelLoader;
import dev.flywheel.core.model.Predictions;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bundles written by earlier Flywheel versions must keep loading and predicting the same. {@code
 * golden/bundle-format-1.zip} was written by the code before fitted transforms existed (format 1:
 * numeric inputs with a median fill, categorical inputs one-hot encoded); never regenerate it.
 */
class GoldenBundleTest {

  private static final ModelLoader LOADER =
      (algorithm, task, classes, width, bytes) -> BundleIOTest.TinyModel.parse(bytes);

  private static byte[] golden() throws IOException {
    try (InputStream in =
        GoldenBundleTest.class.getResourceAsStream("/golden/bundle-format-1.zip")) {
      assertThat(in).as("golden bundle resource").isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void aFormatOneBundleStillLoadsWithItsPipelineAndManifest() throws IOException {
    ModelBundle b = BundleIO.read(golden(), "golden/bundle-format-1.zip", LOADER);

    assertThat(b.manifest().formatVersion()).isEqualTo(1);
    assertThat(b.manifest().name()).isEqualTo("houses");
    assertThat(b.manifest().inputs())
        .extracting(InputField::name)
        .containsExactly("size_m2", "location", "rooms");
    assertThat(b.pipeline().inputs())
        .containsExactly(
            new InputFeature.Numeric("size_m2", 101.5),
            new InputFeature.Categorical("location", "city", List.of("city", "rural", "town")),
            new InputFeature.Numeric("rooms", 3.0));
    assertThat(b.pipeline().outputNames())
        .containsExactly("size_m2", "location=city", "location=rural", "location=town", "rooms");
  }

  @Test
  void aFormatOneBundleTransformsAndPredictsAsItDidWhenWritten() throws IOException {
    ModelBundle b = BundleIO.read(golden(), "golden/bundle-format-1.zip", LOADER);
    Map<String, Object> missing = new HashMap<>();
    missing.put("size_m2", null);
    missing.put("location", null);
    missing.put("rooms", null);

    // Weights 2, 10, -5, 1, 100 over (size, city, rural, town, rooms).
    assertThat(b.pipeline().transform(Map.of("size_m2", 80.0, "location", "town", "rooms", 4.0)))
        .containsExactly(80.0, 0, 0, 1, 4.0);
    assertThat(b.pipeline().transform(missing)).containsExactly(101.5, 1, 0, 0, 3.0);
    assertThat(b.pipeline().transform(Map.of("size_m2", 1.0, "location", "village", "rooms", 0.0)))
        .containsExactly(1.0, 0, 0, 0, 0.0);
    Predictions.Values p =
        (Predictions.Values)
            b.predict(List.of(Map.of("size_m2", 80.0, "location", "rural", "rooms", 4.0), missing));
    assertThat(p.values()).containsExactly(2 * 80.0 - 5 + 400, 2 * 101.5 + 10 + 300);
  }

  @Test
  void rewritingAFormatOneBundleKeepsItsContentFilesByteForByte() throws IOException {
    // A pipeline that uses none of the newer transforms serialises exactly as format 1 did. Only
    // the manifest changes: the run id moves out of it into run.json (bundle determinism).
    byte[] original = golden();
    byte[] rewritten = BundleIO.write(BundleIO.read(original, "golden", LOADER));

    Map<String, byte[]> before = entries(original);
    Map<String, byte[]> after = entries(rewritten);
    for (String name : List.of("pipeline.json", "profile.json", "model.tiny")) {
      assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
    }
    assertThat(after).containsKey("run.json");
    ModelBundle again = BundleIO.read(rewritten, "golden", LOADER);
    assertThat(again.manifest().formatVersion()).isEqualTo(1);
    assertThat(again.manifest().lineage())
        .isEqualTo(BundleIO.read(original, "golden", LOADER).manifest().lineage());
    assertThat(BundleIO.write(again)).isEqualTo(rewritten);
  }

  private static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> out = new java.util.TreeMap<>();
    try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }
}
