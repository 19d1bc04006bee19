package dev.flywheel.core.schema;

import java.util.Arrays;
import java.util.Optional;

/**
 * The logical type of a column, as the validation report and {@code schema.columns.*.type} name it
 * (docs/spec.md, "Schema"). A logical type sits on top of a frame column's storage: {@code
 * numeric}, {@code integer} and {@code boolean} columns may be stored as numbers, {@code
 * categorical}, {@code boolean}, {@code timestamp} and {@code text} columns as text. Use {@code
 * ColumnType} for the storage itself.
 */
public enum LogicalType {
  /** Numbers, some with a fraction. */
  NUMERIC("numeric"),
  /** Numbers that are all whole. */
  INTEGER("integer"),
  /** true/false text (any case); when declared, the numbers 0 and 1 also fit. */
  BOOLEAN("boolean"),
  /** Text with few distinct values, or numbers declared categorical. */
  CATEGORICAL("categorical"),
  /** ISO-8601 dates or date-times as text. */
  TIMESTAMP("timestamp"),
  /** Free text: many distinct or long values. */
  TEXT("text");

  private final String specName;

  LogicalType(String specName) {
    this.specName = specName;
  }

  public String specName() {
    return specName;
  }

  public static Optional<LogicalType> fromSpecName(String name) {
    return Arrays.stream(values()).filter(t -> t.specName.equals(name)).findFirst();
  }

  /** Whether values of this type are numbers ({@code min} and {@code max} apply). */
  public boolean isNumber() {
    return this == NUMERIC || this == INTEGER;
  }

  /** The spec names of every type, for messages. */
  public static String specNames() {
    return String.join("|", Arrays.stream(values()).map(LogicalType::specName).toList());
  }
}
