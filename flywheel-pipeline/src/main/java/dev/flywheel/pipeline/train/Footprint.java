package dev.flywheel.pipeline.train;

import dev.flywheel.core.model.Model;
import java.util.Arrays;

/**
 * What a trained model costs to keep and to call, for the leaderboard: the bytes of its serialised
 * form and its single-row predict latency. Latency is a measurement like {@code train_seconds}:
 * read with {@link System#nanoTime()}, it varies between identical runs and is left out of every
 * determinism check. For serving figures measured against peers, see docs/benchmarks.md instead.
 */
public final class Footprint {

  /** Rows timed, and warm-up calls made first (so the JIT has compiled the predict path). */
  public static final int ROWS = 50;

  private Footprint() {}

  /** The model's file and its attachments, as stored in the bundle. */
  public static long bytes(Model model) {
    long n = model.toBytes().length;
    for (byte[] a : model.attachments().values()) {
      n += a.length;
    }
    return n;
  }

  /**
   * The median microseconds of {@code model.predict} on one row, over up to {@link #ROWS} of {@code
   * rows} (cycled when there are fewer), after {@link #ROWS} warm-up calls; null without rows.
   */
  public static Double predictMicros(Model model, double[][] rows) {
    if (rows.length == 0) {
      return null;
    }
    for (int i = 0; i < ROWS; i++) {
      model.predict(new double[][] {rows[i % rows.length]});
    }
    long[] nanos = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      double[][] one = {rows[i % rows.length]};
      long start = System.nanoTime();
      model.predict(one);
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    double median = (nanos[(ROWS - 1) / 2] + nanos[ROWS / 2]) / 2.0;
    // Three significant decimals are all a single timing can carry.
    return Math.round(median / 1e3 * 1000) / 1000.0;
  }
}
