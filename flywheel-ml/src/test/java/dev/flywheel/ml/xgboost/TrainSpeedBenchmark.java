package dev.flywheel.ml.xgboost;

import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times Flywheel's XGBoost candidate training call, {@link XGBoostTrainer#train}, on the data of
 * {@code benchmarks/train-speed/generate.py}: 100 rounds, depth 6, eta 0.3 (the table's defaults),
 * {@code hist}, two threads. The timed call includes everything the candidate does (building the
 * DMatrix, training, writing the UBJ bytes and building the Java scorer); reading the CSV is not
 * timed. Not a test: run {@code benchmarks/train-speed/run.sh} (see docs/benchmarks.md).
 */
public final class TrainSpeedBenchmark {

  private TrainSpeedBenchmark() {}

  public static void main(String[] args) throws IOException {
    TrainingSet data = read(Path.of(args[0]));
    int warmup = Integer.parseInt(args[1]);
    int timed = Integer.parseInt(args[2]);
    Map<String, Number> params =
        ParameterTable.withDefaults(Algorithm.XGBOOST, Map.of("rounds", 100, "max_depth", 6));
    TrainOptions options = new TrainOptions(42, 2);
    List<String> times = new ArrayList<>();
    XGBoostTrainer trainer = new XGBoostTrainer();
    for (int i = 0; i < warmup + timed; i++) {
      long start = System.nanoTime();
      trainer.train(data, params, options);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (i >= warmup) {
        times.add(String.format(Locale.ROOT, "%.4f", seconds));
      }
    }
    System.out.println("flywheel xgboost4j-3.4.0 " + String.join(" ", times));
  }

  private static TrainingSet read(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    String[] header = lines.get(0).split(",");
    int width = header.length - 1;
    double[][] x = new double[lines.size() - 1][];
    int[] labels = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      String[] f = lines.get(i + 1).split(",");
      x[i] = new double[width];
      for (int j = 0; j < width; j++) {
        x[i][j] = Double.parseDouble(f[j]);
      }
      labels[i] = Integer.parseInt(f[width]);
    }
    return new TrainingSet(
        x,
        Arrays.asList(header).subList(0, width),
        Task.CLASSIFICATION,
        List.of("0", "1"),
        labels,
        null);
  }
}
