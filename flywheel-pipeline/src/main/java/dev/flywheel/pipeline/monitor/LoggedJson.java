package dev.flywheel.pipeline.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the JSON that the prediction log holds: instances as received, and answers as given. A
 * record that is not a JSON object reads as null, and its caller leaves it out: the server only
 * logs what it parsed, so this happens only to rows written by something else.
 */
final class LoggedJson {

  private LoggedJson() {}

  /**
   * The raw values of the given features in a logged instance, as the reference profile bins them:
   * a JSON number is a {@code Double}, a string is text, and null, an absent field or any other
   * JSON value is missing (null).
   *
   * @return the values by feature, or null when the text is not a JSON object
   */
  static Map<String, Object> instance(String json, Collection<String> features) {
    JsonNode node = object(json);
    if (node == null) {
      return null;
    }
    Map<String, Object> row = new HashMap<>();
    for (String f : features) {
      JsonNode v = node.get(f);
      Object value = null;
      if (v != null && v.isNumber()) {
        value = v.doubleValue();
      } else if (v != null && v.isTextual()) {
        value = v.textValue();
      }
      row.put(f, value);
    }
    return row;
  }

  /** A logged record as a JSON object, or null when it is not one. */
  static JsonNode object(String json) {
    if (json == null) {
      return null;
    }
    try {
      JsonNode node = Json.mapper().readTree(json);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }
}
