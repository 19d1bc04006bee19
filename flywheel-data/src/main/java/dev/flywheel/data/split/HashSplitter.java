package dev.flywheel.data.split;

import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.spec.SplitSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Splits rows by a seeded hash of their content (INTERFACES.md, {@code split.method: hash}). A
 * row's split depends only on the seed, the shares and the row itself, so it keeps its split as the
 * data set grows, and any later process can tell which split a row was in.
 *
 * <p>Each row maps to a number {@code u} in [0, 1) from the first 53 bits of SHA-256(seed, row):
 * {@code u < test} is test, {@code u < test + validation} is validation, and the rest is train.
 */
public final class HashSplitter {

  private HashSplitter() {}

  /** The three parts, as row indices into the frame, ascending. */
  public record Splits(int[] train, int[] validation, int[] test) {}

  public static Splits split(Frame frame, SplitSpec spec) {
    int n = frame.rowCount();
    int[] train = new int[n];
    int[] validation = new int[n];
    int[] test = new int[n];
    int a = 0;
    int b = 0;
    int c = 0;
    for (int i = 0; i < n; i++) {
      switch (assign(frame.canonicalRow(i), spec)) {
        case TRAIN -> train[a++] = i;
        case VALIDATION -> validation[b++] = i;
        case TEST -> test[c++] = i;
      }
    }
    return new Splits(
        Arrays.copyOf(train, a), Arrays.copyOf(validation, b), Arrays.copyOf(test, c));
  }

  /** The split of one row, given its canonical text ({@link Frame#canonicalRow}). */
  public static Part assign(String canonicalRow, SplitSpec spec) {
    double u = unit(canonicalRow, spec.seed());
    if (u < spec.test()) {
      return Part.TEST;
    }
    return u < spec.test() + spec.validation() ? Part.VALIDATION : Part.TRAIN;
  }

  static double unit(String canonicalRow, long seed) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    digest.update(ByteBuffer.allocate(Long.BYTES).putLong(seed).array());
    byte[] h = digest.digest(canonicalRow.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(h).getLong() >>> 11;
    return bits * 0x1.0p-53;
  }

  /** The three parts of a split. */
  public enum Part {
    TRAIN,
    VALIDATION,
    TEST
  }
}
