package dev.flywheel.data.collect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows read from JSON objects (JSON Lines, API records, JSON logs), whose columns are the keys in
 * the order they first appear. A later object may add a column, so earlier rows are shorter; {@link
 * RowFrame} reads what they lack as missing. One instance per read; not thread-safe.
 */
public final class JsonRows {

  private final Map<String, Integer> columns = new LinkedHashMap<>();

  /** The first key whose value is an object or a list, or null when the object is flat. */
  public static String nestedKey(JsonNode object) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isContainerNode()) {
        return e.getKey();
      }
    }
    return null;
  }

  /**
   * One object's values by column index, adding its new keys as columns. Scalars are read as their
   * text ({@code true}/{@code false} for booleans), {@code null} as missing.
   *
   * @param nestedAsText whether a nested value becomes its JSON text; otherwise the caller has
   *     refused nested objects already (see {@link #nestedKey})
   */
  String[] row(JsonNode object, boolean nestedAsText) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      columns.putIfAbsent(it.next(), columns.size());
    }
    String[] row = new String[columns.size()];
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      row[columns.get(e.getKey())] =
          v.isNull() ? null : nestedAsText && v.isContainerNode() ? v.toString() : v.asText();
    }
    return row;
  }

  /** The columns so far, in the order they first appeared. */
  List<String> columns() {
    return List.copyOf(columns.keySet());
  }
}
