package dev.flywheel.ml.xgboost;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.Synthetic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * Single-row predict latency: the pure-Java {@link TreeEnsemble} against XGBoost's JNI {@code
 * Booster.inplace_predict}, on a 100-round, depth-6 binary model over 20 features. Not a test: run
 * it with {@code benchmarks/tree-scoring/run.sh [warmup] [timed]} (see docs/benchmarks.md).
 *
 * <p>Each round times every contender once over the same 4,096 rows, rotating which goes first; the
 * report gives the median and the fastest round per contender, and the median of the per-round
 * ratios to JNI (which removes most of the noise of a shared machine). Before timing it checks that
 * all contenders agree.
 */
public final class TreeScoringBenchmark {

  private static final int WIDTH = 20;
  private static final int ROWS = 4096;

  private TreeScoringBenchmark() {}

  /** One way to score a row; returns something that depends on the output, so none is elided. */
  private interface Contender {
    double score(int i) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int timed = args.length > 1 ? Integer.parseInt(args[1]) : 15;

    TrainingSet data = data(20_000, 1);
    XGBoostModel model =
        (XGBoostModel)
            new XGBoostTrainer()
                .train(
                    data,
                    ParameterTable.withDefaults(
                        Algorithm.XGBOOST, Map.of("rounds", 100, "max_depth", 6)),
                    new TrainOptions(42, 1));
    Booster booster = XGBoost.loadModel(model.toBytes());
    // One thread: a server scores single rows on request threads, and OpenMP only adds overhead.
    booster.setParam("nthread", 1);
    TreeEnsemble trees = TreeEnsemble.fromJson(booster.toByteArray("json"));

    double[][] x = data(ROWS, 2).x();
    float[][] xf = new float[ROWS][];
    for (int i = 0; i < ROWS; i++) {
      xf[i] = XGBoostTrainer.flatten(new double[][] {x[i]}, WIDTH);
    }
    float[] out = new float[1];

    List<String> names = List.of("JNI inplace_predict", "TreeEnsemble.predict", "Model.predict");
    List<Contender> contenders = new ArrayList<>();
    contenders.add(i -> booster.inplace_predict(xf[i], 1, WIDTH, Float.NaN)[0][0]);
    contenders.add(
        i -> {
          trees.predict(xf[i], out);
          return out[0];
        });
    contenders.add(
        i ->
            ((Predictions.Probabilities) model.predict(new double[][] {x[i]}))
                .probabilities()[0][1]);
    // The Java paths are ~100x faster: repeat them so each timing spans tens of milliseconds.
    int[] repeats = {1, 50, 50};

    double worst = 0;
    int identical = 0;
    for (int i = 0; i < ROWS; i++) {
      double jni = contenders.get(0).score(i);
      identical += contenders.get(1).score(i) == jni ? 1 : 0;
      for (int c = 1; c < contenders.size(); c++) {
        worst = Math.max(worst, Math.abs(contenders.get(c).score(i) - jni));
      }
    }
    System.out.printf(
        "model: %d trees, %d features; %d rows (a tenth of values missing);"
            + " identical to JNI: %d; max |java - jni| = %.3g%n",
        trees.trees(), WIDTH, ROWS, identical, worst);
    if (worst > 1e-6) {
      throw new AssertionError("the Java scorer disagrees with XGBoost by " + worst);
    }

    int n = contenders.size();
    double[][] nsPerRow = new double[n][timed];
    double sink = 0;
    for (int round = 0; round < warmup + timed; round++) {
      for (int k = 0; k < n; k++) {
        int c = (round + k) % n;
        long start = System.nanoTime();
        for (int r = 0; r < repeats[c]; r++) {
          for (int i = 0; i < ROWS; i++) {
            sink += contenders.get(c).score(i);
          }
        }
        double ns = (System.nanoTime() - start) / (double) (repeats[c] * ROWS);
        if (round >= warmup) {
          nsPerRow[c][round - warmup] = ns;
        }
      }
    }

    System.out.printf(
        "%d warm-up + %d timed rounds, %s, %s%n",
        warmup, timed, System.getProperty("java.vm.name"), System.getProperty("java.version"));
    System.out.printf("%-22s %12s %12s %16s%n", "single row", "median ns", "min ns", "JNI / this");
    for (int c = 0; c < n; c++) {
      double[] ratios = new double[timed];
      for (int t = 0; t < timed; t++) {
        ratios[t] = nsPerRow[0][t] / nsPerRow[c][t];
      }
      System.out.printf(
          "%-22s %12.0f %12.0f %15.1fx%n",
          names.get(c), median(nsPerRow[c]), min(nsPerRow[c]), median(ratios));
    }

    // For context: a whole batch in one call, per row.
    float[] flat = XGBoostTrainer.flatten(x, WIDTH);
    double[] jniBatch = new double[timed];
    double[] javaBatch = new double[timed];
    for (int round = 0; round < warmup + timed; round++) {
      long start = System.nanoTime();
      sink += booster.inplace_predict(flat, ROWS, WIDTH, Float.NaN)[0][0];
      long mid = System.nanoTime();
      sink += ((Predictions.Probabilities) model.predict(x)).probabilities()[0][1];
      long end = System.nanoTime();
      if (round >= warmup) {
        jniBatch[round - warmup] = (mid - start) / (double) ROWS;
        javaBatch[round - warmup] = (end - mid) / (double) ROWS;
      }
    }
    System.out.printf(
        "batch of %d, per row: JNI (1 thread) %.0f ns, Model.predict %.0f ns (medians)%n",
        ROWS, median(jniBatch), median(javaBatch));
    System.out.println("(checksum " + sink + ")");
    booster.dispose();
  }

  /** Twenty features, a tenth of them missing; the label is a noisy non-linear signal. */
  private static TrainingSet data(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[rows][WIDTH];
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int j = 0; j < WIDTH; j++) {
        double v = r.nextGaussian();
        x[i][j] = r.nextDouble() < 0.1 ? Double.NaN : v;
        s += Double.isNaN(x[i][j]) ? 0 : (j % 3 == 0 ? v : j % 3 == 1 ? v * v - 1 : Math.sin(v));
      }
      labels[i] = s + r.nextGaussian() > 0 ? 1 : 0;
    }
    return new TrainingSet(
        x, Synthetic.names(WIDTH), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElseThrow();
  }
}
