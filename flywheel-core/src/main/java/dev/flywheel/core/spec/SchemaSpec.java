package dev.flywheel.core.spec;

import dev.flywheel.core.schema.LogicalType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared schema of a spec's data ({@code schema:} in docs/spec.md). Declared columns override
 * the inferred types; columns not declared are inferred and checked only for their null rate and
 * against the previous dataset version.
 *
 * @param columns the declared columns by name, in spec order
 * @param allowExtra false makes every undeclared column an {@code unexpected_column} anomaly
 */
public record SchemaSpec(Map<String, ColumnSchema> columns, boolean allowExtra) {

  /** No declared columns: everything is inferred. */
  public static final SchemaSpec NONE = new SchemaSpec(Map.of(), true);

  public SchemaSpec {
    columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
  }

  /**
   * One declared column.
   *
   * @param type the declared type, or null to keep the inferred one
   * @param min the smallest allowed number (numeric and integer only), or null
   * @param max the largest allowed number (numeric and integer only), or null
   * @param nullable false makes any missing value a {@code null_rate} anomaly
   * @param values the allowed categories (categorical only), or null for any
   * @param required false lets the column be absent without a {@code missing_column} anomaly
   */
  public record ColumnSchema(
      LogicalType type,
      Double min,
      Double max,
      boolean nullable,
      List<String> values,
      boolean required) {
    public ColumnSchema {
      values = values == null ? null : List.copyOf(values);
    }
  }
}
