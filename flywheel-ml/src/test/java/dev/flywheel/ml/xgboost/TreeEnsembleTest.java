package dev.flywheel.ml.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.ParameterTable;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.model.TrainOptions;
import dev.flywheel.core.model.TrainingSet;
import dev.flywheel.ml.Synthetic;
import dev.flywheel.ml.Trainers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the pure-Java scorer against XGBoost's own {@code Booster.inplace_predict} on models that
 * {@link XGBoostTrainer} trains, over rows with missing values and values exactly on (and one float
 * step either side of) the models' split thresholds.
 */
class TreeEnsembleTest {

  private static final int WIDTH = 8;
  private static final int PROBES = 3000;

  // ---- data ---------------------------------------------------------------------------------

  /**
   * Features of several kinds: Gaussian, a small set of integers (so that rows sit on thresholds
   * naturally), heavy-tailed, uniform on a wide range; a tenth of the values missing.
   */
  private static double[][] features(int rows, SplittableRandom r) {
    double[][] x = new double[rows][WIDTH];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < WIDTH; j++) {
        double v =
            switch (j % 4) {
              case 0 -> r.nextGaussian();
              case 1 -> r.nextInt(6);
              case 2 -> Math.exp(2 * r.nextGaussian());
              default -> r.nextDouble(-1000, 1000);
            };
        x[i][j] = r.nextDouble() < 0.1 ? Double.NaN : v;
      }
    }
    return x;
  }

  private static double signal(double[] row) {
    double s = 0;
    s += nz(row[0]) * 1.5 - nz(row[1]) * 0.4 + Math.log1p(nz(row[2])) * 0.8;
    s += nz(row[3]) / 500 + (nz(row[4]) > 0.5 ? 1 : -1) + Math.sin(nz(row[7]) / 200);
    s += nz(row[5]) * nz(row[0]) * 0.2;
    return s;
  }

  private static double nz(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  private static TrainingSet binary(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = features(rows, r);
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = signal(x[i]) + r.nextGaussian() > 1 ? 1 : 0;
    }
    return new TrainingSet(
        x, Synthetic.names(WIDTH), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
  }

  private static TrainingSet multiClass(int rows, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = features(rows, r);
    int[] labels = new int[rows];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      names.add("c" + k);
    }
    for (int i = 0; i < rows; i++) {
      double s = signal(x[i]) + r.nextGaussian();
      // Cut the signal into classes of uneven size, so the per-class base scores differ.
      labels[i] = Math.min(classes - 1, Math.max(0, (int) Math.floor(s + classes / 2.0 - 1)));
    }
    return new TrainingSet(x, Synthetic.names(WIDTH), Task.CLASSIFICATION, names, labels, null);
  }

  private static TrainingSet regression(int rows, double offset, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = features(rows, r);
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = offset + scale * (signal(x[i]) + 0.3 * r.nextGaussian());
    }
    return new TrainingSet(x, Synthetic.names(WIDTH), Task.REGRESSION, List.of(), null, y);
  }

  private static XGBoostModel train(TrainingSet data, Map<String, Number> given) {
    Map<String, Number> params = ParameterTable.withDefaults(Algorithm.XGBOOST, given);
    return (XGBoostModel) new XGBoostTrainer().train(data, params, new TrainOptions(7, 1));
  }

  /**
   * Random rows, where each value is, with equal odds: missing, a split threshold of that feature,
   * one float step below or above one, or a fresh random value.
   */
  private static double[][] probes(Booster booster, long seed) throws Exception {
    List<List<Float>> thresholds = new ArrayList<>();
    for (int j = 0; j < WIDTH; j++) {
      thresholds.add(new ArrayList<>());
    }
    JsonNode trees =
        new ObjectMapper()
            .readTree(booster.toByteArray("json"))
            .path("learner")
            .path("gradient_booster")
            .path("model")
            .path("trees");
    for (JsonNode tree : trees) {
      for (int n = 0; n < tree.path("left_children").size(); n++) {
        if (tree.path("left_children").get(n).asInt() != -1) {
          thresholds
              .get(tree.path("split_indices").get(n).asInt())
              .add(Float.parseFloat(tree.path("split_conditions").get(n).asText()));
        }
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    double[][] fresh = features(PROBES, r);
    double[][] x = new double[PROBES][WIDTH];
    for (int i = 0; i < PROBES; i++) {
      for (int j = 0; j < WIDTH; j++) {
        List<Float> t = thresholds.get(j);
        int kind = r.nextInt(5);
        if (t.isEmpty() && kind >= 1 && kind <= 3) {
          kind = 4;
        }
        x[i][j] =
            switch (kind) {
              case 0 -> Double.NaN;
              case 1 -> t.get(r.nextInt(t.size()));
              case 2 -> Math.nextDown(t.get(r.nextInt(t.size())));
              case 3 -> Math.nextUp(t.get(r.nextInt(t.size())));
              default -> fresh[i][j];
            };
      }
    }
    return x;
  }

  // ---- the comparison -----------------------------------------------------------------------

  /** What one model's scorer gave, set beside XGBoost's own numbers. */
  private record Comparison(
      Task task, float[][] javaMargins, float[][] xgbMargins, Predictions java, float[][] xgb) {}

  private static Comparison compare(XGBoostModel model, long seed) throws Exception {
    Booster booster = XGBoost.loadModel(model.toBytes());
    try {
      double[][] x = probes(booster, seed);
      float[] flat = XGBoostTrainer.flatten(x, WIDTH);
      float[][] xgb = booster.inplace_predict(flat, x.length, WIDTH, Float.NaN);
      float[][] xgbMargins =
          booster.inplace_predict(
              flat,
              x.length,
              WIDTH,
              Float.NaN,
              new int[] {0, 0},
              Booster.PredictionType.kMargin,
              null);
      TreeEnsemble trees = TreeEnsemble.fromJson(booster.toByteArray("json"));
      float[][] javaMargins = new float[x.length][trees.outputs()];
      float[] row = new float[WIDTH];
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < WIDTH; j++) {
          row[j] = (float) x[i][j];
        }
        trees.margins(row, javaMargins[i]);
      }
      return new Comparison(model.task(), javaMargins, xgbMargins, model.predict(x), xgb);
    } finally {
      booster.dispose();
    }
  }

  private static void assertMatchesXGBoost(Comparison c) {
    // Same trees, same float32 sums in the same order: the margins agree bit for bit.
    assertThat(c.javaMargins()).isDeepEqualTo(c.xgbMargins());
    if (c.task() == Task.REGRESSION) {
      double[] v = ((Predictions.Values) c.java()).values();
      for (int i = 0; i < v.length; i++) {
        // reg:squarederror has no link function, so the values are the margins: exact too.
        assertThat(v[i]).as("row %d", i).isEqualTo(c.xgb()[i][0]);
      }
      return;
    }
    double[][] p = ((Predictions.Probabilities) c.java()).probabilities();
    double worst = 0;
    for (int i = 0; i < p.length; i++) {
      float[] expected = c.xgb()[i];
      if (p[i].length == 2) {
        worst = Math.max(worst, Math.abs(p[i][1] - expected[0]));
        worst = Math.max(worst, Math.abs(p[i][0] - (1.0 - expected[0])));
      } else {
        for (int k = 0; k < p[i].length; k++) {
          worst = Math.max(worst, Math.abs(p[i][k] - expected[k]));
        }
      }
    }
    assertThat(worst).isLessThanOrEqualTo(1e-6);
  }

  static Stream<Arguments> grids() {
    return Stream.of(
        Arguments.of(Map.of("rounds", 200, "max_depth", 8, "subsample", 0.8)),
        Arguments.of(Map.of("rounds", 100, "max_depth", 6, "colsample_bytree", 0.5)),
        Arguments.of(
            Map.of("rounds", 50, "max_depth", 4, "eta", 0.1, "gamma", 2, "lambda", 0, "alpha", 1)),
        Arguments.of(
            Map.of(
                "rounds",
                120,
                "max_depth",
                7,
                "subsample",
                0.6,
                "colsample_bytree",
                0.7,
                "min_child_weight",
                5)));
  }

  @ParameterizedTest
  @MethodSource("grids")
  void binaryScorerMatchesXGBoost(Map<String, Number> params) throws Exception {
    assertMatchesXGBoost(compare(train(binary(3000, 1), params), 11));
  }

  @ParameterizedTest
  @MethodSource("grids")
  void threeClassScorerMatchesXGBoost(Map<String, Number> params) throws Exception {
    assertMatchesXGBoost(compare(train(multiClass(2000, 3, 2), params), 12));
  }

  @Test
  void binaryBaseMarginMatchesXGBoostAtEveryBaseRate() throws Exception {
    // The base score of binary:logistic is the share of positives, turned into a margin by a float
    // logit; an expression a few float steps off would show in the sums of a few small trees.
    for (double share : new double[] {0.02, 0.1, 0.17, 0.3, 0.47, 0.5, 0.63, 0.8, 0.9, 0.97}) {
      SplittableRandom r = new SplittableRandom(20);
      double[][] x = features(400, r);
      int[] labels = new int[x.length];
      for (int i = 0; i < x.length; i++) {
        labels[i] = r.nextDouble() < share * (1 + 0.3 * Math.tanh(nz(x[i][0]))) ? 1 : 0;
      }
      TrainingSet data =
          new TrainingSet(
              x, Synthetic.names(WIDTH), Task.CLASSIFICATION, List.of("no", "yes"), labels, null);
      assertMatchesXGBoost(compare(train(data, Map.of("rounds", 3, "max_depth", 3)), 21));
    }
  }

  @Test
  void fourClassScorerMatchesXGBoost() throws Exception {
    Map<String, Number> params =
        Map.of("rounds", 80, "max_depth", 8, "subsample", 0.7, "colsample_bytree", 0.6);
    assertMatchesXGBoost(compare(train(multiClass(2000, 4, 3), params), 13));
  }

  @ParameterizedTest
  @MethodSource("grids")
  void regressionScorerMatchesXGBoost(Map<String, Number> params) throws Exception {
    assertMatchesXGBoost(compare(train(regression(3000, 0, 1, 4), params), 14));
  }

  @Test
  void regressionWithALargeBaseScoreMatchesXGBoost() throws Exception {
    // Targets near a million: the base score dwarfs each leaf, so float rounding in the sum shows.
    TrainingSet data = regression(3000, 1_000_000, 1000, 5);
    XGBoostModel model =
        train(data, Map.of("rounds", 150, "max_depth", 6, "subsample", 0.9, "eta", 0.2));
    Comparison c = compare(model, 15);
    assertMatchesXGBoost(c);

    double[] v = ((Predictions.Values) model.predict(data.x())).values();
    double squaredError = 0;
    double variance = 0;
    double mean = Arrays.stream(data.y()).average().orElseThrow();
    for (int i = 0; i < v.length; i++) {
      squaredError += (v[i] - data.y()[i]) * (v[i] - data.y()[i]);
      variance += (data.y()[i] - mean) * (data.y()[i] - mean);
    }
    assertThat(1 - squaredError / variance).isGreaterThan(0.9);
  }

  @Test
  void treesWithNoDepthLimitMatchXGBoost() throws Exception {
    // Deep, lopsided trees: each is walked for its full depth, leaves standing still.
    Map<String, Number> params = Map.of("rounds", 10, "max_depth", 0, "min_child_weight", 0);
    assertMatchesXGBoost(compare(train(binary(2000, 6), params), 16));
    assertMatchesXGBoost(compare(train(regression(2000, 0, 1, 6), params), 16));
  }

  @Test
  void aModelReadBackThroughTheLoaderScoresIdentically() throws Exception {
    TrainingSet data = multiClass(1000, 3, 8);
    Model model = train(data, Map.of("rounds", 30));
    Model loaded =
        Trainers.LOADER.load(
            Algorithm.XGBOOST, Task.CLASSIFICATION, data.classes(), WIDTH, model.toBytes());
    double[][] x = multiClass(200, 3, 9).x();
    assertThat(((Predictions.Probabilities) loaded.predict(x)).probabilities())
        .isDeepEqualTo(((Predictions.Probabilities) model.predict(x)).probabilities());
  }

  // ---- hand-written models ------------------------------------------------------------------

  /** A one-tree model: {@code x0 < 0.5} (missing goes right) gives -1, else +2. */
  private static String stump(String objective, String baseScore, String defaultLeft) {
    return """
        {"learner": {
          "learner_model_param": {"base_score": %s, "num_class": "0", "num_feature": "2",
                                  "num_target": "1"},
          "objective": {"name": "%s"},
          "gradient_booster": {"name": "gbtree", "model": {
            "tree_info": [0],
            "trees": [{
              "tree_param": {"num_nodes": "3", "num_feature": "2", "size_leaf_vector": "1"},
              "left_children": [1, -1, -1], "right_children": [2, -1, -1],
              "split_indices": [0, 0, 0], "split_conditions": [0.5, -1.0, 2.0],
              "default_left": [%s, 0, 0], "split_type": [0, 0, 0],
              "base_weights": [0.0, -1.0, 2.0]
            }]}}}}
        """
        .formatted(baseScore, objective, defaultLeft);
  }

  private static float predict(TreeEnsemble trees, float... row) {
    float[] out = new float[trees.outputs()];
    trees.predict(row, out);
    return out[0];
  }

  @Test
  void aValueEqualToTheThresholdGoesRightAndMissingFollowsTheDefault() {
    TreeEnsemble right = TreeEnsemble.fromJson(bytes(stump("reg:squarederror", "\"[1E1]\"", "0")));
    assertThat(predict(right, 0.4999999f, 0)).isEqualTo(9f);
    assertThat(predict(right, 0.5f, 0)).isEqualTo(12f);
    assertThat(predict(right, Float.NaN, 0)).isEqualTo(12f);

    TreeEnsemble left = TreeEnsemble.fromJson(bytes(stump("reg:squarederror", "\"1E1\"", "true")));
    assertThat(predict(left, Float.NaN, 0)).isEqualTo(9f);
  }

  @Test
  void treesThatAreASingleLeafAddTheirValue() {
    // Eleven trees (a block of eight and three more): stumps, with a lone leaf at 0 and at 9.
    String stump = stump("reg:squarederror", "\"[1E1]\"", "0");
    String trees = stump.substring(stump.indexOf("\"trees\": [") + 10, stump.lastIndexOf("]}}}}"));
    String leaf =
        """
        {"tree_param": {"num_nodes": "1", "num_feature": "2", "size_leaf_vector": "1"},
         "left_children": [-1], "right_children": [-1], "split_indices": [0],
         "split_conditions": [0.25], "default_left": [0], "split_type": [0],
         "base_weights": [0.25]}""";
    List<String> all = new ArrayList<>();
    for (int t = 0; t < 11; t++) {
      all.add(t == 0 || t == 9 ? leaf : trees.strip());
    }
    String json =
        stump
            .replace(trees, String.join(",", all))
            .replace("\"tree_info\": [0]", "\"tree_info\": " + Collections.nCopies(11, 0));
    TreeEnsemble ensemble = TreeEnsemble.fromJson(bytes(json));
    assertThat(ensemble.trees()).isEqualTo(11);
    assertThat(predict(ensemble, 0f, 0f)).isEqualTo(10f + 0.5f - 9);
    assertThat(predict(ensemble, 1f, 0f)).isEqualTo(10f + 0.5f + 18);
  }

  @Test
  void baseScoreIsReadAsANumberAStringOrAVector() {
    for (String base : List.of("0.25", "\"2.5E-1\"", "\"[2.5E-1]\"")) {
      TreeEnsemble trees = TreeEnsemble.fromJson(bytes(stump("binary:logistic", base, "0")));
      // logit(0.25) + 2, through the sigmoid
      double expected = 1 / (1 + Math.exp(-(Math.log(0.25 / 0.75) + 2)));
      assertThat((double) predict(trees, 1f, 0f)).as(base).isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void otherObjectivesAreRejectedByName() {
    assertThatThrownBy(() -> TreeEnsemble.fromJson(bytes(stump("count:poisson", "0.5", "0"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the XGBoost model has objective 'count:poisson'; Flywheel reads reg:squarederror,"
                + " binary:logistic and multi:softprob");
  }

  @Test
  void aModelFileWithAnotherObjectiveIsRejectedByTheLoader() throws XGBoostError {
    float[] x = {0, 1, 2, 3, 4, 5};
    DMatrix m = new DMatrix(x, 6, 1, Float.NaN);
    m.setLabel(new float[] {0, 1, 2, 3, 4, 5});
    Booster poisson =
        XGBoost.train(
            m, Map.of("objective", "count:poisson", "verbosity", 0), 2, Map.of(), null, null);
    byte[] model = poisson.toByteArray("ubj");
    poisson.dispose();
    m.dispose();
    assertThatThrownBy(() -> XGBoostModel.fromBytes(model, Task.REGRESSION, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("objective 'count:poisson'");
  }

  @Test
  void boostersOtherThanGbtreeAreRejected() {
    for (String booster : List.of("dart", "gblinear")) {
      String json =
          stump("reg:squarederror", "0", "0")
              .replace("\"name\": \"gbtree\"", "\"name\": \"" + booster + "\"");
      assertThatThrownBy(() -> TreeEnsemble.fromJson(bytes(json)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "the XGBoost model uses the '"
                  + booster
                  + "' booster; Flywheel's tree scorer reads gbtree only");
    }
  }

  @Test
  void categoricalSplitsAreRejected() {
    String json =
        stump("reg:squarederror", "0", "0")
            .replace("\"split_type\": [0, 0, 0]", "\"split_type\": [1, 0, 0]");
    assertThatThrownBy(() -> TreeEnsemble.fromJson(bytes(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tree 0 has categorical splits; Flywheel's tree scorer reads numeric ones only");
  }

  @Test
  void aTreeWhoseChildrenPointOutsideItIsRejected() {
    String broken = stump("reg:squarederror", "0", "0").replace("[2, -1, -1]", "[7, -1, -1]");
    assertThatThrownBy(() -> TreeEnsemble.fromJson(bytes(broken)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tree 0 node 0 has children 1 and 7; each must be a distinct unused node in [0, 3)");
  }

  @Test
  void bytesThatAreNotJsonAreRejected() {
    assertThatThrownBy(() -> TreeEnsemble.fromJson(bytes("{\"not\": \"a model\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an XGBoost JSON model: it has no 'learner' object at the top level");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
