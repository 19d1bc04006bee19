package dev.flywheel.core.expr;

/** The type of an expression's value, or of a column an expression reads. */
public enum ValueType {
  /** A double; booleans convert to 1 and 0 where a number is needed. */
  NUMBER,
  /** Text, such as a category. */
  TEXT,
  /** true or false, from a comparison or a logical operator. */
  BOOLEAN;

  String describe() {
    return switch (this) {
      case NUMBER -> "a number";
      case TEXT -> "text";
      case BOOLEAN -> "true/false";
    };
  }
}
