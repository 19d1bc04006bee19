package dev.flywheel.data.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The running statistics of one column. A column is numeric while every non-missing value parses as
 * a number; the first value that does not turns it categorical for good, and the numbers seen so
 * far move into the category counts in their canonical form ({@code 1.50} becomes {@code 1.5}).
 *
 * <p>Distinct values are counted exactly up to {@link #EXACT_DISTINCT}; past that, an HLL sketch
 * takes over and the profile reports {@code distinct_estimate}. Category counts are exact up to the
 * same bound, then come from a frequent-items sketch.
 */
final class ColumnStats {

  /** Distinct values counted exactly before switching to a sketch. */
  static final int EXACT_DISTINCT = 100_000;

  /** KLL accuracy parameter: normalized rank error about 0.8 % (single quantile, 99 % conf.). */
  static final int KLL_K = 400;

  /** HLL size: relative standard error about 1.6 %. */
  static final int HLL_LG_K = 12;

  /** Frequent-items map size (must be a power of two). */
  private static final int FREQUENT_MAP = 1 << 12;

  static final int TOP = 10;

  final String name;
  long count;
  long nulls;
  boolean numeric = true;
  boolean integer = true;

  // numeric
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private boolean shifted;
  private double shift;
  private double sum;
  private double sumSquares;
  private final KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(KLL_K);
  private LongCounts numbers = new LongCounts();
  // Values go to the KLL sketch in batches: its batch update is much cheaper per value.
  private final double[] pending = new double[4096];
  private int pendingSize;

  // categorical
  private Map<String, long[]> categories;
  private ItemsSketch<String> frequent;

  // both, once past the exact bound
  private HllSketch hll;

  ColumnStats(String name) {
    this.name = name;
  }

  void missing() {
    nulls++;
  }

  void number(double v, boolean isInteger) {
    if (!numeric) {
      text(canonical(v, isInteger));
      return;
    }
    count++;
    integer &= isInteger;
    if (v < min) {
      min = v;
    }
    if (v > max) {
      max = v;
    }
    if (!shifted) {
      shifted = true;
      shift = v;
    }
    double d = v - shift;
    sum += d;
    sumSquares += d * d;
    pending[pendingSize++] = v;
    if (pendingSize == pending.length) {
      flushKll();
    }
    long bits = Double.doubleToLongBits(v == 0.0 ? 0.0 : v);
    if (numbers != null) {
      numbers.add(bits);
      if (numbers.size() > EXACT_DISTINCT) {
        hll = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
        numbers.forEachKey(hll::update);
        numbers = null;
      }
    } else {
      hll.update(bits);
    }
  }

  void text(String value) {
    if (numeric) {
      becomeCategorical();
    }
    count++;
    if (categories != null) {
      long[] c = categories.get(value);
      if (c == null) {
        categories.put(value, new long[] {1});
        if (categories.size() > EXACT_DISTINCT) {
          toSketches();
        }
      } else {
        c[0]++;
      }
    } else {
      frequent.update(value);
      hll.update(value);
    }
  }

  private void becomeCategorical() {
    numeric = false;
    integer = false;
    categories = new HashMap<>();
    if (numbers != null) {
      LongCounts old = numbers;
      numbers = null;
      old.forEach(
          (bits, n) -> {
            double v = Double.longBitsToDouble(bits);
            categories.put(canonical(v, v == Math.rint(v)), new long[] {n});
          });
      if (categories.size() > EXACT_DISTINCT) {
        toSketches();
      }
    } else {
      // Past the exact bound before the first non-number: the earlier numbers stay in the HLL
      // (hashed as numbers) but cannot be listed in the top values.
      frequent = new ItemsSketch<>(FREQUENT_MAP);
      categories = null;
    }
  }

  private void toSketches() {
    frequent = new ItemsSketch<>(FREQUENT_MAP);
    if (hll == null) {
      hll = new HllSketch(HLL_LG_K, TgtHllType.HLL_8);
    }
    for (Map.Entry<String, long[]> e : categories.entrySet()) {
      frequent.update(e.getKey(), e.getValue()[0]);
      hll.update(e.getKey());
    }
    categories = null;
  }

  static String canonical(double v, boolean isInteger) {
    if (isInteger && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private void flushKll() {
    if (pendingSize > 0) {
      kll.update(pending, 0, pendingSize);
      pendingSize = 0;
    }
  }

  ColumnProfile result() {
    flushKll();
    boolean exact = hll == null;
    long distinct =
        exact ? (numeric ? numbers.size() : categories.size()) : Math.round(hll.getEstimate());
    if (numeric) {
      Double mean = null;
      Double stddev = null;
      Map<String, Double> quantiles = new java.util.LinkedHashMap<>();
      if (count > 0) {
        double m = sum / count;
        mean = shift + m;
        if (count > 1) {
          double variance = Math.max(0, (sumSquares - sum * m) / (count - 1));
          stddev = Math.sqrt(variance);
        }
        for (double[] q : QUANTILES) {
          quantiles.put(
              String.format(java.util.Locale.ROOT, "p%02d", (int) q[0]),
              kll.getQuantile(q[1], QuantileSearchCriteria.INCLUSIVE));
        }
      }
      return new ColumnProfile.Numeric(
          name,
          integer && count > 0 ? "integer" : "numeric",
          count,
          nulls,
          distinct,
          exact,
          count > 0 ? min : null,
          count > 0 ? max : null,
          mean,
          stddev,
          quantiles);
    }
    List<ColumnProfile.Top> top = new ArrayList<>();
    if (categories != null) {
      categories.entrySet().stream()
          .sorted(
              Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                  .thenComparing(Map.Entry::getKey))
          .limit(TOP)
          .forEach(e -> top.add(new ColumnProfile.Top(e.getKey(), e.getValue()[0], true)));
    } else {
      Arrays.stream(frequent.getFrequentItems(ErrorType.NO_FALSE_POSITIVES))
          .limit(TOP)
          .forEach(r -> top.add(new ColumnProfile.Top(r.getItem(), r.getEstimate(), false)));
    }
    return new ColumnProfile.Categorical(name, count, nulls, distinct, exact, top);
  }

  private static final double[][] QUANTILES = {
    {1, 0.01}, {25, 0.25}, {50, 0.5}, {75, 0.75}, {99, 0.99}
  };

  /** Normalized rank error of the quantiles (single quantile, 99 % confidence). */
  static double rankError() {
    return KllDoublesSketch.getNormalizedRankError(KLL_K, false);
  }

  /** An open-addressing map from long to count: no boxing per value. */
  static final class LongCounts {
    // Keys and counts interleaved ([key, count] per slot), so a probe touches one cache line; an
    // empty slot holds EMPTY, the canonical NaN bits, which no finite number has. The key EMPTY
    // itself (never passed by ColumnStats, but allowed) is counted on the side.
    private static final long EMPTY = 0x7ff8000000000000L;
    private long[] table = newTable(1024);
    private int size;
    private long emptyKeyCount;

    private static long[] newTable(int slots) {
      long[] t = new long[2 * slots];
      for (int k = 0; k < t.length; k += 2) {
        t[k] = EMPTY;
      }
      return t;
    }

    int size() {
      return size;
    }

    void add(long key) {
      if (key == EMPTY) {
        if (emptyKeyCount++ == 0) {
          size++;
        }
        return;
      }
      long[] t = table;
      int mask = (t.length >> 1) - 1;
      int i = mix(key) & mask;
      while (true) {
        long k = t[2 * i];
        if (k == key) {
          t[2 * i + 1]++;
          return;
        }
        if (k == EMPTY) {
          break;
        }
        i = (i + 1) & mask;
      }
      t[2 * i] = key;
      t[2 * i + 1] = 1;
      if (++size * 4 > t.length) {
        grow();
      }
    }

    private void grow() {
      long[] old = table;
      long[] t = newTable(old.length);
      int mask = (t.length >> 1) - 1;
      for (int j = 0; j < old.length; j += 2) {
        if (old[j] != EMPTY) {
          int i = mix(old[j]) & mask;
          while (t[2 * i] != EMPTY) {
            i = (i + 1) & mask;
          }
          t[2 * i] = old[j];
          t[2 * i + 1] = old[j + 1];
        }
      }
      table = t;
    }

    void forEachKey(java.util.function.LongConsumer action) {
      forEach((key, count) -> action.accept(key));
    }

    interface Entry {
      void accept(long key, long count);
    }

    void forEach(Entry action) {
      if (emptyKeyCount > 0) {
        action.accept(EMPTY, emptyKeyCount);
      }
      long[] t = table;
      for (int j = 0; j < t.length; j += 2) {
        if (t[j] != EMPTY) {
          action.accept(t[j], t[j + 1]);
        }
      }
    }

    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }
}
