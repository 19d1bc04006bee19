package dev.flywheel.pipeline.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.features.FeatureSelection;
import dev.flywheel.core.features.InputFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The selection scores against scikit-learn (fixture from {@code selection/make_fixture.py}) and
 * hand-computed values.
 */
class FeatureSelectorTest {

  private static final double[][] X;
  private static final int[] Y;
  private static final JsonNode EXPECTED;

  static {
    try {
      List<String> lines = lines("/selection/mi.csv");
      X = new double[lines.size() - 1][];
      Y = new int[lines.size() - 1];
      for (int i = 1; i < lines.size(); i++) {
        String[] p = lines.get(i).split(",");
        X[i - 1] = new double[4];
        for (int j = 0; j < 4; j++) {
          X[i - 1][j] = Double.parseDouble(p[j]);
        }
        Y[i - 1] = Integer.parseInt(p[4]);
      }
      try (InputStream in =
          FeatureSelectorTest.class.getResourceAsStream("/selection/mi_expected.json")) {
        EXPECTED = Json.mapper().readTree(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> lines(String resource) throws IOException {
    try (InputStream in = FeatureSelectorTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void mutualInformationMatchesScikitLearnsMutualInfoClassif() {
    Random random = new Random(42);
    for (int j = 0; j < 4; j++) {
      double mi = FeatureSelector.mutualInfo(FeatureSelector.column(X, j), Y, 3, random);
      assertThat(mi)
          .as(EXPECTED.at("/names/" + j).asText())
          .isCloseTo(EXPECTED.at("/mutual_info/" + j).asDouble(), within(1e-6));
    }
  }

  @Test
  void mutualInformationWithANumericTargetMatchesScikitLearnsMutualInfoRegression()
      throws IOException {
    List<String> lines = lines("/selection/mi_regression_target.csv");
    double[] target = new double[lines.size() - 1];
    for (int i = 1; i < lines.size(); i++) {
      target[i - 1] = Double.parseDouble(lines.get(i));
    }
    Random random = new Random(42);
    double[] y = FeatureSelector.jittered(target, random);
    for (int j = 0; j < 4; j++) {
      double[] x = FeatureSelector.jittered(FeatureSelector.column(X, j), random);
      assertThat(FeatureSelector.mutualInfo(x, y, 3))
          .as(EXPECTED.at("/names/" + j).asText())
          .isCloseTo(EXPECTED.at("/mutual_info_regression/" + j).asDouble(), within(1e-6));
    }
  }

  @Test
  void varianceMatchesScikitLearnsVarianceThreshold() {
    for (int j = 0; j < 4; j++) {
      assertThat(FeatureSelector.variance(FeatureSelector.column(X, j)))
          .isCloseTo(EXPECTED.at("/variance/" + j).asDouble(), within(1e-9));
    }
  }

  @Test
  void mutualInformationOfALabelCopyIsTheLabelEntropyAndOfAConstantIsZero() {
    int n = 600;
    int[] y = new int[n];
    double[] copy = new double[n];
    double[] constant = new double[n];
    Random r = new Random(3);
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      copy[i] = y[i] * 10 + r.nextGaussian() * 0.01;
      constant[i] = 5;
    }
    // Two equally likely classes: H(Y) = ln 2; the estimator gets close on a perfect separator.
    assertThat(FeatureSelector.mutualInfo(copy, y, 3, new Random(1)))
        .isCloseTo(Math.log(2), within(0.02));
    assertThat(FeatureSelector.mutualInfo(constant, y, 3, new Random(1)))
        .isCloseTo(0, within(0.02));
  }

  @Test
  void digammaMatchesKnownValues() {
    double euler = 0.5772156649015329;
    assertThat(FeatureSelector.digamma(1)).isCloseTo(-euler, within(1e-12));
    assertThat(FeatureSelector.digamma(4)).isCloseTo(1 + 0.5 + 1.0 / 3 - euler, within(1e-12));
    assertThat(FeatureSelector.digamma(0.5)).isCloseTo(-euler - 2 * Math.log(2), within(1e-12));
  }

  @Test
  void correlationDropsTheLaterOfEachCorrelatedPairByHand() {
    // a; b = 2a + 1 (r = 1); c = a with one flip (r computed below); d independent of a.
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] c = {1, 2, 3, 4, 6, 5};
    double[] d = {1, -1, 1, -1, 1, -1};
    double[][] x = new double[6][];
    for (int i = 0; i < 6; i++) {
      x[i] = new double[] {a[i], 2 * a[i] + 1, c[i], d[i]};
    }
    // By hand: a and c share mean 3.5; Σ(a-ā)(c-c̄) = 17.5 - 1 = 16.5, Σ(a-ā)² = 17.5, so r =
    // 16.5/17.5.
    double rac = 16.5 / 17.5;
    List<InputFeature> features = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      features.add(numeric(name));
    }
    Map<String, FeatureSelection.Dropped> dropped = FeatureSelector.correlation(features, x, 0.9);
    assertThat(dropped.keySet()).containsExactly("b", "c");
    assertThat(dropped.get("b").score()).isCloseTo(1.0, within(1e-12));
    assertThat(dropped.get("b").reason()).contains("with 'a'").contains("above 0.9");
    assertThat(dropped.get("c").score()).isCloseTo(rac, within(1e-12));
    // Above r(a, c) = 0.943 only b goes.
    assertThat(FeatureSelector.correlation(features, x, 0.95).keySet()).containsExactly("b");
  }

  private static InputFeature numeric(String name) {
    return new InputFeature.Numeric(name, 0.0, false, List.of());
  }
}
