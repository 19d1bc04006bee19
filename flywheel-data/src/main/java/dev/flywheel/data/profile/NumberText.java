package dev.flywheel.data.profile;

/**
 * Parses decimal numbers straight from a CSV parser's character buffer, without making a String per
 * cell. Plain decimals of up to 15 significant digits with a small exponent (nearly every value in
 * real data) take Clinger's fast path, which is exact: the mantissa and the power of ten are both
 * exact doubles, so one IEEE multiplication or division rounds correctly. Anything else that looks
 * like a decimal number goes to {@link Double#parseDouble}. Text that is not a plain decimal (hex,
 * {@code 1d}, {@code Infinity}, thousands separators) is not a number.
 */
final class NumberText {

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** Set by {@link #parse}: whether the text was an integer literal (no point, no exponent). */
  boolean integer;

  /** The parsed value, valid when {@link #parse} returned true. */
  double value;

  private NumberText() {}

  static NumberText create() {
    return new NumberText();
  }

  /** Parses {@code buf[off, off+len)}, already stripped of surrounding spaces. */
  boolean parse(char[] buf, int off, int len) {
    int end = off + len;
    int i = off;
    if (i == end) {
      return false;
    }
    boolean negative = false;
    char c = buf[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0; // significant digits kept in the mantissa
    int dropped = 0; // integer digits beyond what the mantissa keeps
    int fraction = 0;
    boolean any = false;
    boolean point = false;
    boolean exact = true;
    for (; i < end; i++) {
      c = buf[i];
      if (c >= '0' && c <= '9') {
        any = true;
        if (mantissa == 0 && c == '0') {
          if (point) {
            fraction++;
          }
          continue;
        }
        if (digits < 18) {
          mantissa = mantissa * 10 + (c - '0');
          digits++;
          if (point) {
            fraction++;
          }
        } else {
          exact = false;
          if (!point) {
            dropped++;
          }
        }
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!any) {
      return false;
    }
    int exponent = 0;
    boolean hasExponent = false;
    if (i < end && (buf[i] == 'e' || buf[i] == 'E')) {
      hasExponent = true;
      i++;
      boolean negExp = false;
      if (i < end && (buf[i] == '-' || buf[i] == '+')) {
        negExp = buf[i] == '-';
        i++;
      }
      if (i == end) {
        return false;
      }
      for (; i < end; i++) {
        c = buf[i];
        if (c < '0' || c > '9') {
          return false;
        }
        if (exponent < 100_000) {
          exponent = exponent * 10 + (c - '0');
        }
      }
      if (negExp) {
        exponent = -exponent;
      }
    }
    if (i != end) {
      return false;
    }
    integer = !point && !hasExponent;
    int e10 = exponent - fraction + dropped;
    if (exact && mantissa < (1L << 53) && e10 >= -22 && e10 <= 22) {
      double m = mantissa;
      double v = e10 < 0 ? m / POW10[-e10] : m * POW10[e10];
      value = negative ? -v : v;
      return true;
    }
    value = Double.parseDouble(new String(buf, off, len));
    return !Double.isInfinite(value);
  }
}
