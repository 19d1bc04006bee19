package dev.flywheel.core.bundle;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Json;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ModelLoader;
import dev.flywheel.core.profile.ReferenceProfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads bundles: a zip of {@code manifest.json}, {@code pipeline.json}, {@code
 * profile.json}, the model file, the model's attachments (if any) and {@code run.json}. Entries
 * carry a fixed timestamp and a fixed order, so the same content gives the same bytes. Reading
 * checks every file against the manifest's SHA-256.
 *
 * <p><b>Content and run.</b> What a bundle computes is its content: the manifest (which lists the
 * SHA-256 of every content file) and those files. The content is a function of the spec and the
 * data alone, so training twice on the same spec and data gives the same content, byte for byte,
 * and the same {@link #contentDigest}. What identifies one training run (today only its run id) is
 * not content: it is kept out of {@code manifest.json}, in {@code run.json}, which the manifest
 * does not list. Reading puts the run id back into {@link Lineage#runId()}. Bundles written before
 * this split carry the run id inside the manifest, and still load.
 */
public final class BundleIO {

  static final String MANIFEST = "manifest.json";
  static final String PIPELINE = "pipeline.json";
  static final String PROFILE = "profile.json";
  static final String RUN = "run.json";
  // Two seconds after the zip epoch, as local date-time fields. setTime(millis) converts through
  // the default time zone, so bundles written in different zones differed. Exactly 1980-01-01
  // 00:00 is the JDK's "before 1980" marker, which adds a zone-dependent extended timestamp.
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);

  private static final TypeReference<List<InputFeature>> INPUTS = new TypeReference<>() {};

  private BundleIO() {}

  public static byte[] write(ModelBundle bundle) {
    if (bundle.manifest().formatVersion() < bundle.pipeline().formatVersion()) {
      throw new IllegalArgumentException(
          "the manifest says format "
              + bundle.manifest().formatVersion()
              + " but the pipeline needs format "
              + bundle.pipeline().formatVersion());
    }
    ObjectMapper json = Json.mapper();
    try {
      Map<String, byte[]> files = new TreeMap<>();
      files.put(PIPELINE, json.writerFor(INPUTS).writeValueAsBytes(bundle.pipeline().inputs()));
      files.put(PROFILE, json.writeValueAsBytes(bundle.profile()));
      files.put(bundle.model().fileName(), bundle.model().toBytes());
      for (var a : bundle.model().attachments().entrySet()) {
        if (a.getKey().startsWith("model.") || files.containsKey(a.getKey())) {
          throw new IllegalStateException(
              "a model attachment may not be named " + a.getKey() + ": the name is taken");
        }
        files.put(a.getKey(), a.getValue());
      }
      Map<String, String> digests = new TreeMap<>();
      files.forEach((name, bytes) -> digests.put(name, sha256(bytes)));
      Manifest m = bundle.manifest();
      byte[] manifest =
          json.writeValueAsBytes(
              m.withLineage(m.lineage() == null ? null : m.lineage().withRunId(null))
                  .withFiles(digests));
      Map<String, String> run = new TreeMap<>();
      if (m.lineage() != null && m.lineage().runId() != null) {
        run.put("run_id", m.lineage().runId());
      }

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        put(zip, MANIFEST, manifest);
        for (var e : files.entrySet()) {
          put(zip, e.getKey(), e.getValue());
        }
        put(zip, RUN, json.writeValueAsBytes(run));
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setTimeLocal(ENTRY_TIME);
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }

  /**
   * Reads a bundle and verifies it.
   *
   * @param bytes the zip
   * @param where where the bytes came from, for error messages
   * @param loader reads the model file
   * @throws InfrastructureException when the bundle is corrupt, incomplete or too new
   */
  public static ModelBundle read(byte[] bytes, String where, ModelLoader loader) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        files.put(e.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw corrupt(where, "it is not a readable zip (" + e.getMessage() + ")", e);
    }
    byte[] manifestBytes = files.get(MANIFEST);
    if (manifestBytes == null) {
      throw corrupt(where, "it has no " + MANIFEST, null);
    }
    ObjectMapper json = Json.mapper();
    try {
      // Check the format version before binding: a newer format may add fields or values that
      // this reader would otherwise report as corruption instead of asking for an upgrade.
      JsonNode tree = json.readTree(manifestBytes);
      if (tree == null || !tree.isObject()) {
        throw corrupt(where, MANIFEST + " is not a JSON object", null);
      }
      // The field is snake case, as every field Flywheel writes.
      int formatVersion = tree.path("format_version").asInt(0);
      if (formatVersion > Manifest.FORMAT_VERSION) {
        throw new InfrastructureException(
            "bundle "
                + where
                + " has format version "
                + formatVersion
                + ", newer than this Flywheel ("
                + Manifest.FORMAT_VERSION
                + "). Upgrade Flywheel to load it.",
            null);
      }
      Manifest manifest = json.treeToValue(tree, Manifest.class);
      byte[] runBytes = files.get(RUN);
      if (runBytes != null && manifest.lineage() != null && manifest.lineage().runId() == null) {
        JsonNode run = json.readTree(runBytes);
        String runId = run == null ? null : run.path("run_id").textValue();
        manifest = manifest.withLineage(manifest.lineage().withRunId(runId));
      }
      for (String required : List.of(PIPELINE, PROFILE)) {
        if (!manifest.files().containsKey(required)) {
          throw corrupt(where, "the manifest does not list " + required, null);
        }
      }
      for (var e : manifest.files().entrySet()) {
        byte[] content = files.get(e.getKey());
        if (content == null) {
          throw corrupt(
              where, "the manifest lists " + e.getKey() + " but the file is absent", null);
        }
        String actual = sha256(content);
        if (!actual.equals(e.getValue())) {
          throw corrupt(
              where,
              e.getKey() + " has SHA-256 " + actual + " but the manifest says " + e.getValue(),
              null);
        }
      }
      FeaturePipeline pipeline = new FeaturePipeline(json.readValue(files.get(PIPELINE), INPUTS));
      ReferenceProfile profile = json.readValue(files.get(PROFILE), ReferenceProfile.class);
      String modelFile =
          manifest.files().keySet().stream()
              .filter(n -> n.startsWith("model."))
              .findFirst()
              .orElseThrow(() -> corrupt(where, "it has no model file", null));
      Map<String, byte[]> attachments = new TreeMap<>();
      for (String name : manifest.files().keySet()) {
        if (!name.equals(modelFile) && !name.equals(PIPELINE) && !name.equals(PROFILE)) {
          attachments.put(name, files.get(name));
        }
      }
      Model model =
          loader.load(
              manifest.algorithm(),
              manifest.task(),
              manifest.classes(),
              pipeline.width(),
              files.get(modelFile),
              attachments);
      return new ModelBundle(manifest, pipeline, model, profile);
    } catch (IOException e) {
      throw corrupt(where, "its JSON cannot be read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The SHA-256 of a bundle's content: its {@code manifest.json}, which lists the digest of every
   * content file, as {@code sha256:<hex>}. Two bundles with the same content digest compute the
   * same predictions and describe themselves alike; they may differ only in {@code run.json}.
   *
   * @throws InfrastructureException if the bytes are not a bundle
   */
  public static String contentDigest(byte[] bundle) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bundle))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(MANIFEST)) {
          return "sha256:" + sha256(zip.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw corrupt("(in memory)", "it is not a readable zip (" + e.getMessage() + ")", e);
    }
    throw corrupt("(in memory)", "it has no " + MANIFEST, null);
  }

  private static InfrastructureException corrupt(String where, String why, Throwable cause) {
    return new InfrastructureException(
        "bundle " + where + " is corrupt: " + why + ". Retrain, or restore it from a backup.",
        cause);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
