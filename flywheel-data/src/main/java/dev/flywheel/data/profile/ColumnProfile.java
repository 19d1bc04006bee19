package dev.flywheel.data.profile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import java.util.List;
import java.util.Map;

/** The profile of one column, as in INTERFACES.md ("flywheel data profile SOURCE --json"). */
public sealed interface ColumnProfile {

  String name();

  /** {@code numeric}, {@code integer} or {@code categorical}. */
  String type();

  /** Non-missing values. */
  long count();

  long nulls();

  /** Distinct non-missing values: exact when {@link #distinctExact()}, else an HLL estimate. */
  long distinct();

  boolean distinctExact();

  /** A number column. The statistics are null when the column has no values. */
  record Numeric(
      String name,
      String type,
      long count,
      long nulls,
      long distinct,
      boolean distinctExact,
      Double min,
      Double max,
      Double mean,
      Double stddev,
      Map<String, Double> quantiles)
      implements ColumnProfile {}

  /** A text column with its most frequent values. */
  record Categorical(
      String name, long count, long nulls, long distinct, boolean distinctExact, List<Top> top)
      implements ColumnProfile {
    @Override
    public String type() {
      return "categorical";
    }
  }

  /** A frequent value; {@code exact} is false when the count comes from a sketch. */
  record Top(String value, long count, boolean exact) {}

  default ObjectNode toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("name", name());
    o.put("type", type());
    o.put("count", count());
    o.put("nulls", nulls());
    o.put(distinctExact() ? "distinct" : "distinct_estimate", distinct());
    switch (this) {
      case Numeric n -> {
        o.put("min", n.min());
        o.put("max", n.max());
        o.put("mean", n.mean());
        o.put("stddev", n.stddev());
        ObjectNode q = o.putObject("quantiles");
        n.quantiles().forEach(q::put);
      }
      case Categorical c -> {
        ArrayNode top = o.putArray("top");
        for (Top t : c.top()) {
          top.addObject().put("value", t.value()).put("count", t.count());
        }
      }
    }
    return o;
  }
}
