package dev.flywheel.data.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.data.profile.FrameProfiler;
import dev.flywheel.data.profile.ProfileBuilder;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The profile stored with a dataset version: a JSON document with
 *
 * <ul>
 *   <li>{@code rows}: the curated rows;
 *   <li>{@code types}: each column's inferred logical type;
 *   <li>{@code profile}: the {@code flywheel data profile} document of the data;
 *   <li>{@code reference}: every column in the PSI bins of INTERFACES.md (deciles of numbers, one
 *       bin per category plus "other", and a missing bin), which the next version is compared
 *       against.
 * </ul>
 *
 * <p>The document only grows: readers ignore what they do not know.
 */
public final class DatasetProfile {

  private DatasetProfile() {}

  /** The stored document for {@code curated}. */
  public static String document(Frame curated) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("rows", curated.rowCount());
    ObjectNode types = o.putObject("types");
    for (Column c : curated.columns()) {
      types.put(c.name(), LogicalTypes.infer(c).specName());
    }
    o.set("profile", FrameProfiler.profile(curated, "dataset").toJson());
    o.set("reference", Json.mapper().valueToTree(ProfileBuilder.build(curated, curated.names())));
    try {
      return Json.mapper().writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a validation compares against, read from a stored document. */
  public record Previous(
      int version, long rows, Map<String, String> types, ReferenceProfile reference) {}

  /** Reads the parts of a stored document that validation compares against. */
  public static Previous previous(int version, long rows, String document) {
    try {
      JsonNode node = Json.mapper().readTree(document);
      Map<String, String> types = new LinkedHashMap<>();
      node.path("types")
          .fields()
          .forEachRemaining(e -> types.put(e.getKey(), e.getValue().asText()));
      ReferenceProfile reference =
          Json.mapper().treeToValue(node.get("reference"), ReferenceProfile.class);
      return new Previous(version, rows, types, reference);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
