package dev.flywheel.pipeline.train;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.expr.Expression;
import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.features.FeatureSelection;
import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.ml.Trainers;
import dev.flywheel.ml.importance.ModelImportance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Feature selection ({@code features.select}): scores the fitted features on the training split
 * alone (rule 2 of DESIGN.md: validation and test rows never touch the choice) and narrows the
 * prepared data to the kept ones.
 *
 * <p><b>Unit.</b> A feature is one entry of the fitted pipeline: an input column or a derived
 * feature, whatever number of model inputs it encodes to. A one-hot column is kept or dropped as a
 * whole, so {@code keep: N} counts what a user lists in a request, and the bundle's pipeline simply
 * holds fewer features. A feature with several outputs scores as the largest of its outputs
 * (variance, mutual information) or their sum (gain, as {@code ModelImportance} sums by column). An
 * input column that a kept derived feature reads is kept with it, so the count may exceed {@code
 * keep}.
 *
 * <p><b>Methods.</b>
 *
 * <ul>
 *   <li>{@code variance}: population variance of the training values (scikit-learn's {@code
 *       VarianceThreshold}); a threshold keeps variances strictly above it.
 *   <li>{@code correlation}: Pearson r between outputs; in pipeline order, a feature is dropped
 *       when any output has |r| above the threshold with an output of an earlier kept feature.
 *   <li>{@code mutual_info}: against a class target, the Ross (2014) nearest-neighbour estimator
 *       that scikit-learn's {@code mutual_info_classif} uses for continuous features: 3 neighbours,
 *       each output scaled to unit variance and jittered by 1e-10 × max(1, mean |x|) of seeded
 *       Gaussian noise; against a numeric target, the KSG estimator (Chebyshev distance, 3
 *       neighbours) of {@code mutual_info_regression}, the target scaled and jittered the same way.
 *   <li>{@code importance}: total gain of a quick seeded XGBoost model (50 rounds, depth 4) fitted
 *       on the training split.
 * </ul>
 *
 * <p>Ties keep pipeline order. Use {@link CandidateSearch} for what is trained afterwards; this
 * class only decides and narrows.
 */
public final class FeatureSelector {

  /** Neighbours of the mutual-information estimator, as scikit-learn's default. */
  static final int NEIGHBOURS = 3;

  /** Rounds and depth of the quick importance model. */
  static final int IMPORTANCE_ROUNDS = 50;

  static final int IMPORTANCE_DEPTH = 4;

  private FeatureSelector() {}

  /**
   * The prepared data narrowed to a selection.
   *
   * @param data the data with only the kept features
   * @param selection what was kept and dropped, and why
   */
  public record Selected(PreparedData data, FeatureSelection selection) {}

  /**
   * One narrowed copy of {@code data} per {@code keep} value (one for a threshold), in the spec's
   * order.
   */
  public static List<Selected> select(
      FeaturesSpec.Select spec, PreparedData data, long seed, int threads) {
    List<InputFeature> features = data.pipeline().inputs();
    TrainingSet train = data.trainingSet();
    if (spec.method().equals("correlation")) {
      return List.of(narrow(data, spec, correlation(features, train.x(), spec.threshold())));
    }
    double[] scores = scores(spec.method(), data.pipeline(), train, seed, threads);
    String unit = unit(spec.method());
    List<Selected> out = new ArrayList<>();
    if (spec.threshold() != null) {
      Map<String, FeatureSelection.Dropped> dropped = new LinkedHashMap<>();
      for (int f = 0; f < features.size(); f++) {
        if (!(scores[f] > spec.threshold())) {
          dropped.put(
              features.get(f).name(),
              new FeatureSelection.Dropped(
                  features.get(f).name(),
                  scores[f],
                  unit + " " + format(scores[f]) + " is not above " + format(spec.threshold())));
        }
      }
      out.add(narrow(data, spec, dropped));
      return out;
    }
    Integer[] order = new Integer[features.size()];
    for (int f = 0; f < order.length; f++) {
      order[f] = f;
    }
    // Stable: ties keep pipeline order.
    Arrays.sort(order, Comparator.comparingDouble((Integer f) -> scores[f]).reversed());
    for (int keep : spec.keep()) {
      Map<String, FeatureSelection.Dropped> dropped = new LinkedHashMap<>();
      for (int rank = keep; rank < order.length; rank++) {
        int f = order[rank];
        dropped.put(
            features.get(f).name(),
            new FeatureSelection.Dropped(
                features.get(f).name(),
                scores[f],
                unit
                    + " "
                    + format(scores[f])
                    + " ranks "
                    + (rank + 1)
                    + ", below the top "
                    + keep));
      }
      out.add(narrow(data, new FeaturesSpec.Select(spec.method(), List.of(keep), null), dropped));
    }
    return out;
  }

  /** Each feature's score under a ranking method, in pipeline order. */
  static double[] scores(
      String method, FeaturePipeline pipeline, TrainingSet train, long seed, int threads) {
    List<InputFeature> features = pipeline.inputs();
    double[] out = new double[features.size()];
    switch (method) {
      case "variance" -> {
        double[] v = new double[train.width()];
        for (int j = 0; j < v.length; j++) {
          v[j] = variance(column(train.x(), j));
        }
        return byFeature(features, v, true);
      }
      case "mutual_info" -> {
        Random random = new Random(seed);
        double[] mi = new double[train.width()];
        if (train.task() == Task.CLASSIFICATION) {
          for (int j = 0; j < mi.length; j++) {
            mi[j] = mutualInfo(column(train.x(), j), train.labels(), NEIGHBOURS, random);
          }
        } else {
          double[] y = jittered(train.y(), random);
          for (int j = 0; j < mi.length; j++) {
            mi[j] = mutualInfo(jittered(column(train.x(), j), random), y, NEIGHBOURS);
          }
        }
        return byFeature(features, mi, true);
      }
      case "importance" -> {
        Map<String, Number> params =
            ParameterTable.withDefaults(
                Algorithm.XGBOOST,
                Map.of("rounds", IMPORTANCE_ROUNDS, "max_depth", IMPORTANCE_DEPTH));
        Model model =
            Trainers.forAlgorithm(Algorithm.XGBOOST)
                .train(train, params, new TrainOptions(seed, Math.max(1, threads)));
        var gain = ModelImportance.of(model, pipeline, 0);
        Map<String, Double> byName = new LinkedHashMap<>();
        gain.columns().forEach(c -> byName.put(c.name(), c.value()));
        for (int f = 0; f < out.length; f++) {
          out[f] = byName.getOrDefault(features.get(f).name(), 0.0);
        }
        return out;
      }
      default -> throw new IllegalArgumentException("not a ranking method: " + method);
    }
  }

  /**
   * Greedy in pipeline order: a feature is dropped when an output of it has |r| above {@code
   * threshold} with an output of a feature kept before it.
   */
  static Map<String, FeatureSelection.Dropped> correlation(
      List<InputFeature> features, double[][] x, double threshold) {
    int width = x.length == 0 ? 0 : x[0].length;
    double[][] centred = new double[width][];
    double[] norm = new double[width];
    for (int j = 0; j < width; j++) {
      double[] c = column(x, j);
      double mean = Arrays.stream(c).average().orElse(0);
      double s = 0;
      for (int i = 0; i < c.length; i++) {
        c[i] -= mean;
        s += c[i] * c[i];
      }
      centred[j] = c;
      norm[j] = Math.sqrt(s);
    }
    Map<String, FeatureSelection.Dropped> dropped = new LinkedHashMap<>();
    List<int[]> kept = new ArrayList<>(); // {feature, firstOutput, width}
    int offset = 0;
    for (int f = 0; f < features.size(); f++) {
      int w = features.get(f).width();
      double worst = -1;
      String with = null;
      for (int[] k : kept) {
        for (int a = offset; a < offset + w; a++) {
          for (int b = k[1]; b < k[1] + k[2]; b++) {
            double r = Math.abs(pearson(centred[a], norm[a], centred[b], norm[b]));
            if (r > worst) {
              worst = r;
              with = features.get(k[0]).name();
            }
          }
        }
      }
      if (worst > threshold) {
        String name = features.get(f).name();
        dropped.put(
            name,
            new FeatureSelection.Dropped(
                name,
                worst,
                "|r| " + format(worst) + " with '" + with + "' is above " + format(threshold)));
      } else {
        kept.add(new int[] {f, offset, w});
      }
      offset += w;
    }
    return dropped;
  }

  private static double pearson(double[] a, double na, double[] b, double nb) {
    if (na == 0 || nb == 0) {
      return 0; // a constant column correlates with nothing
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s / (na * nb);
  }

  /** The data with only the features not in {@code dropped} (plus what kept derived ones read). */
  private static Selected narrow(
      PreparedData data, FeaturesSpec.Select spec, Map<String, FeatureSelection.Dropped> dropped) {
    List<InputFeature> all = data.pipeline().inputs();
    Set<String> drop = new HashSet<>(dropped.keySet());
    // A kept derived feature needs the columns it reads; walk backwards so chains resolve.
    for (int f = all.size() - 1; f >= 0; f--) {
      if (all.get(f) instanceof InputFeature.Derived d && !drop.contains(d.name())) {
        for (String c : Expression.parse(d.expression()).columns()) {
          drop.remove(c);
        }
      }
    }
    List<InputFeature> kept = new ArrayList<>();
    List<Integer> outputs = new ArrayList<>();
    int offset = 0;
    for (InputFeature f : all) {
      if (!drop.contains(f.name())) {
        kept.add(f);
        for (int k = 0; k < f.width(); k++) {
          outputs.add(offset + k);
        }
      }
      offset += f.width();
    }
    if (kept.isEmpty()) {
      throw new BadInputException(
          "features.select: method "
              + spec.method()
              + " with threshold "
              + spec.threshold()
              + " drops every feature; lower the threshold or use keep: N");
    }
    int[] cols = outputs.stream().mapToInt(Integer::intValue).toArray();
    FeaturePipeline pipeline = new FeaturePipeline(kept);
    TrainingSet t = data.trainingSet();
    TrainingSet train =
        new TrainingSet(
            pick(t.x(), cols), pipeline.outputNames(), t.task(), t.classes(), t.labels(), t.y());
    List<FeatureSelection.Dropped> droppedList =
        dropped.values().stream().filter(d -> drop.contains(d.name())).toList();
    FeatureSelection selection =
        new FeatureSelection(
            spec.method(),
            spec.keep().isEmpty() ? null : spec.keep().get(0),
            spec.threshold(),
            kept.stream().map(InputFeature::name).toList(),
            droppedList);
    PreparedData narrowed =
        new PreparedData(
            data.curated(),
            data.train(),
            data.validation(),
            data.test(),
            data.features(),
            pipeline,
            train,
            pick(data.validationX(), cols),
            data.validationTruth(),
            pick(data.testX(), cols),
            data.testTruth(),
            data.classes(),
            data.positive(),
            data.outliers(),
            data.folds());
    return new Selected(narrowed, selection);
  }

  private static double[][] pick(double[][] x, int[] cols) {
    double[][] out = new double[x.length][cols.length];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < cols.length; k++) {
        out[i][k] = x[i][cols[k]];
      }
    }
    return out;
  }

  /** Per feature: the largest ({@code max}) or the sum of its outputs' values. */
  private static double[] byFeature(List<InputFeature> features, double[] values, boolean max) {
    double[] out = new double[features.size()];
    int j = 0;
    for (int f = 0; f < out.length; f++) {
      double v = max ? Double.NEGATIVE_INFINITY : 0;
      for (int k = 0; k < features.get(f).width(); k++, j++) {
        v = max ? Math.max(v, values[j]) : v + values[j];
      }
      out[f] = features.get(f).width() == 0 ? 0 : v;
    }
    return out;
  }

  static double[] column(double[][] x, int j) {
    double[] c = new double[x.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = x[i][j];
    }
    return c;
  }

  /** Population variance (ddof 0), as NumPy's {@code var}. */
  static double variance(double[] c) {
    double mean = Arrays.stream(c).average().orElse(0);
    double s = 0;
    for (double v : c) {
      s += (v - mean) * (v - mean);
    }
    return c.length == 0 ? 0 : s / c.length;
  }

  /**
   * A column as scikit-learn's mutual information prepares it: scaled to unit population standard
   * deviation (a constant column is left as it is), then jittered by 1e-10 × max(1, mean |x|) of
   * Gaussian noise, which breaks ties.
   */
  static double[] jittered(double[] raw, Random random) {
    int n = raw.length;
    double sd = Math.sqrt(variance(raw));
    double[] x = new double[n];
    double meanAbs = 0;
    for (int i = 0; i < n; i++) {
      x[i] = sd == 0 ? raw[i] : raw[i] / sd;
      meanAbs += Math.abs(x[i]);
    }
    double jitter = 1e-10 * Math.max(1, n == 0 ? 0 : meanAbs / n);
    for (int i = 0; i < n; i++) {
      x[i] += jitter * random.nextGaussian();
    }
    return x;
  }

  /**
   * Mutual information in nats between two continuous variables, already {@link #jittered}: the KSG
   * estimator (Kraskov, Stögbauer and Grassberger 2004, algorithm 1) with the Chebyshev distance,
   * as scikit-learn's {@code _compute_mi_cc}. The k-th neighbour in the plane is found by scanning
   * outward from each point in x order, stopping once the x gap alone exceeds it.
   */
  static double mutualInfo(double[] x, double[] y, int neighbours) {
    int n = x.length;
    if (n <= neighbours) {
      return 0;
    }
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> x[i]));
    double[] sx = new double[n];
    double[] sy = new double[n];
    for (int p = 0; p < n; p++) {
      sx[p] = x[idx[p]];
      sy[p] = y[idx[p]];
    }
    double[] ySorted = y.clone();
    Arrays.sort(ySorted);
    double[] best = new double[neighbours]; // the k smallest distances so far, ascending
    double sum = 0;
    for (int p = 0; p < n; p++) {
      Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int dir = -1; dir <= 1; dir += 2) {
        for (int q = p + dir; q >= 0 && q < n; q += dir) {
          double dx = Math.abs(sx[q] - sx[p]);
          if (dx >= best[neighbours - 1]) {
            break;
          }
          double d = Math.max(dx, Math.abs(sy[q] - sy[p]));
          if (d < best[neighbours - 1]) {
            int at = neighbours - 1;
            while (at > 0 && best[at - 1] > d) {
              best[at] = best[at - 1];
              at--;
            }
            best[at] = d;
          }
        }
      }
      double r = best[neighbours - 1] > 0 ? Math.nextDown(best[neighbours - 1]) : 0;
      // Counts include the point itself: digamma(nx + 1) in scikit-learn's terms.
      sum += digamma(within(sx, sx[p], r)) + digamma(within(ySorted, sy[p], r));
    }
    double mi = digamma(n) + digamma(neighbours) - sum / n;
    return Math.max(0, mi);
  }

  /**
   * How many sorted values lie within {@code r} of {@code v}, comparing |value − v| ≤ r as a
   * KD-tree does: bounds from v ± r alone round, and would count the k-th neighbour that the radius
   * (just below its distance) excludes.
   */
  private static int within(double[] sorted, double v, double r) {
    int m = sorted.length;
    int lo = lower(sorted, v - r);
    while (lo > 0 && v - sorted[lo - 1] <= r) {
      lo--;
    }
    while (lo < m && v - sorted[lo] > r) {
      lo++;
    }
    int hi = upper(sorted, v + r);
    while (hi < m && sorted[hi] - v <= r) {
      hi++;
    }
    while (hi > 0 && sorted[hi - 1] - v > r) {
      hi--;
    }
    return Math.max(1, hi - lo);
  }

  /**
   * Mutual information in nats between a continuous variable and class labels: Ross (2014), as
   * scikit-learn's {@code _compute_mi_cd}, after its scaling and jitter. In one dimension the k
   * nearest neighbours and radius counts come from sorted arrays.
   */
  static double mutualInfo(double[] raw, int[] labels, int neighbours, Random random) {
    int n = raw.length;
    double[] x = jittered(raw, random);
    Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      byLabel.computeIfAbsent(labels[i], l -> new ArrayList<>()).add(i);
    }
    double[] radius = new double[n];
    int[] k = new int[n];
    int[] count = new int[n];
    boolean[] used = new boolean[n];
    for (List<Integer> members : byLabel.values()) {
      int size = members.size();
      for (int i : members) {
        count[i] = size;
      }
      if (size < 2) {
        continue; // a label seen once says nothing; scikit-learn leaves such points out
      }
      int kk = Math.min(neighbours, size - 1);
      double[] v = new double[size];
      for (int a = 0; a < size; a++) {
        v[a] = x[members.get(a)];
      }
      Integer[] idx = new Integer[size];
      for (int a = 0; a < size; a++) {
        idx[a] = a;
      }
      Arrays.sort(idx, Comparator.comparingDouble(a -> v[a]));
      double[] sorted = new double[size];
      for (int a = 0; a < size; a++) {
        sorted[a] = v[idx[a]];
      }
      for (int p = 0; p < size; p++) {
        int l = p - 1;
        int r = p + 1;
        double d = 0;
        for (int step = 0; step < kk; step++) {
          double dl = l >= 0 ? sorted[p] - sorted[l] : Double.POSITIVE_INFINITY;
          double dr = r < size ? sorted[r] - sorted[p] : Double.POSITIVE_INFINITY;
          if (dl <= dr) {
            d = dl;
            l--;
          } else {
            d = dr;
            r++;
          }
        }
        int i = members.get(idx[p]);
        radius[i] = d > 0 ? Math.nextDown(d) : 0;
        k[i] = kk;
        used[i] = true;
      }
    }
    int m = 0;
    for (boolean u : used) {
      m += u ? 1 : 0;
    }
    if (m == 0) {
      return 0;
    }
    double[] all = new double[m];
    int a = 0;
    for (int i = 0; i < n; i++) {
      if (used[i]) {
        all[a++] = x[i];
      }
    }
    Arrays.sort(all);
    double sumK = 0;
    double sumCount = 0;
    double sumM = 0;
    for (int i = 0; i < n; i++) {
      if (!used[i]) {
        continue;
      }
      int within = within(all, x[i], radius[i]);
      sumK += digamma(k[i]);
      sumCount += digamma(count[i]);
      sumM += digamma(within);
    }
    double mi = digamma(m) + sumK / m - sumCount / m - sumM / m;
    return Math.max(0, mi);
  }

  /** The first index whose value is ≥ v. */
  private static int lower(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose value is > v. */
  private static int upper(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The digamma function for x > 0: recurrence up to 10, then the asymptotic series. */
  static double digamma(double x) {
    double r = 0;
    while (x < 10) {
      r -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return r
        + Math.log(x)
        - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  }

  private static String unit(String method) {
    return switch (method) {
      case "variance" -> "variance";
      case "mutual_info" -> "mutual information";
      default -> "gain";
    };
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.4g", v);
  }
}
