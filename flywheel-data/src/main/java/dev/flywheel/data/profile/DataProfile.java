package dev.flywheel.data.profile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import java.util.List;

/**
 * The profile of a data source, as in INTERFACES.md ("flywheel data profile SOURCE --json").
 *
 * @param rows the records read; unparsed records never count here
 * @param unparsed records that could not be parsed (for CSV: the wrong number of fields)
 * @param unparsedExamples up to {@link StreamingProfiler#MAX_EXAMPLES} of them
 */
public record DataProfile(
    String source,
    long rows,
    long unparsed,
    List<Unparsed> unparsedExamples,
    List<ColumnProfile> columns) {

  /** A record that could not be parsed: where, what it says (truncated), and why. */
  public record Unparsed(long line, String text, String reason) {}

  public ColumnProfile column(String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no column " + name));
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("source", source);
    o.put("rows", rows);
    o.put("unparsed", unparsed);
    ArrayNode examples = o.putArray("unparsed_examples");
    for (Unparsed u : unparsedExamples) {
      examples.addObject().put("line", u.line()).put("text", u.text()).put("reason", u.reason());
    }
    ArrayNode cols = o.putArray("columns");
    columns.forEach(c -> cols.add(c.toJson()));
    return o;
  }
}
