package dev.flywheel.server;

/**
 * Writes JSON text by hand on the predict path, where building and serialising a Jackson tree per
 * row costs more than the model itself. Only strings and numbers are needed.
 */
final class JsonText {

  private JsonText() {}

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A finite number as JSON; NaN and infinities, which JSON lacks, as null. */
  static void number(StringBuilder sb, double d) {
    if (Double.isFinite(d)) {
      sb.append(d);
    } else {
      sb.append("null");
    }
  }
}
