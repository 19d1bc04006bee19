package dev.flywheel.data.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.features.InputFeature;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.core.spec.FeaturesSpec;
import dev.flywheel.data.features.FeaturePipelineFitter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProfileBuilderTest {

  private static double[] oneToHundred() {
    return IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
  }

  private static double sum(List<Double> shares) {
    return shares.stream().mapToDouble(Double::doubleValue).sum();
  }

  @Test
  void decilesOfOneToHundredMatchNumpyLinearInterpolation() {
    // numpy.percentile(numpy.arange(1, 101), [10, 20, ..., 90])
    assertThat(ProfileBuilder.deciles(oneToHundred()))
        .usingComparatorForType(
            (a, b) -> Math.abs(a - b) < 1e-9 ? 0 : Double.compare(a, b), Double.class)
        .containsExactly(10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1);
  }

  @Test
  void decilesOfAShortUnsortedArrayWithMissingValuesMatchNumpy() {
    // numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [10, ..., 90]); NaN is left out first.
    double[] values = {3, Double.NaN, 1, 4, 1, 5, 9, Double.NaN, 2, 6};
    List<Double> cuts = ProfileBuilder.deciles(values);

    double[] expected = {1.0, 1.4, 2.1, 2.8, 3.5, 4.2, 4.9, 5.6, 6.9};
    assertThat(cuts).hasSize(9);
    for (int k = 0; k < 9; k++) {
      assertThat(cuts.get(k)).as("decile %d", k + 1).isCloseTo(expected[k], within(1e-9));
    }
  }

  @Test
  void decilesOfOneValueAreThatValue() {
    assertThat(ProfileBuilder.deciles(new double[] {4, 4, 4})).hasSize(9).containsOnly(4.0);
    assertThat(ProfileBuilder.deciles(new double[] {7})).hasSize(9).containsOnly(7.0);
  }

  @Test
  void numericSharesAreTenPercentPerDecileAndSumToOne() {
    Frame f = new Frame(List.of(new NumericColumn("x", oneToHundred())));

    ReferenceProfile p = ProfileBuilder.build(f, List.of("x"));

    FeatureProfile.Numeric x = (FeatureProfile.Numeric) p.features().get(0);
    assertThat(p.rows()).isEqualTo(100);
    assertThat(x.shares()).hasSize(11);
    for (int b = 0; b < 10; b++) {
      assertThat(x.shares().get(b)).as("bin %d", b).isCloseTo(0.1, within(1e-12));
    }
    assertThat(x.shares().get(10)).isZero();
    assertThat(sum(x.shares())).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void countsMissingValuesInTheirOwnShare() {
    double[] values = new double[110];
    System.arraycopy(oneToHundred(), 0, values, 0, 100);
    for (int i = 100; i < 110; i++) {
      values[i] = Double.NaN;
    }
    Frame f = new Frame(List.of(new NumericColumn("x", values)));

    FeatureProfile.Numeric x =
        (FeatureProfile.Numeric) ProfileBuilder.build(f, List.of("x")).features().get(0);

    assertThat(x.cuts().get(4)).isCloseTo(50.5, within(1e-9));
    assertThat(x.shares().get(10)).isCloseTo(10 / 110.0, within(1e-12));
    assertThat(x.shares().get(0)).isCloseTo(10 / 110.0, within(1e-12));
    assertThat(sum(x.shares())).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void categoricalBinsAreTheTrainingCategoriesThenOtherThenMissing() {
    Frame f =
        new Frame(
            List.of(
                new CategoricalColumn(
                    "plan",
                    new String[] {"pro", "basic", "basic", null, "plus", "basic", null, "pro"})));

    FeatureProfile.Categorical plan =
        (FeatureProfile.Categorical) ProfileBuilder.build(f, List.of("plan")).features().get(0);

    assertThat(plan.categories()).containsExactly("basic", "plus", "pro");
    assertThat(plan.shares()).containsExactly(3 / 8.0, 1 / 8.0, 2 / 8.0, 0.0, 2 / 8.0);
  }

  @Test
  void categoriesBeyondTheCapGoToOtherLikeInTheFeaturePipeline() {
    List<String> values = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      values.add("c" + k);
      values.add("c" + k);
    }
    values.add("rare1");
    values.add("rare2");
    Frame f = new Frame(List.of(new CategoricalColumn("c", values.toArray(String[]::new))));

    FeatureProfile.Categorical c =
        (FeatureProfile.Categorical) ProfileBuilder.build(f, List.of("c")).features().get(0);
    InputFeature.Categorical fitted =
        (InputFeature.Categorical)
            FeaturePipelineFitter.fit(f, List.of("c"), FeaturesSpec.DEFAULT).inputs().get(0);

    assertThat(c.categories()).isEqualTo(fitted.categories()).hasSize(100);
    assertThat(c.shares().get(100)).as("other").isCloseTo(2 / 202.0, within(1e-12));
    assertThat(sum(c.shares())).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void anAllMissingNumericColumnHasOnlyTheMissingShare() {
    Frame f = new Frame(List.of(new NumericColumn("x", new double[] {Double.NaN, Double.NaN})));

    FeatureProfile.Numeric x =
        (FeatureProfile.Numeric) ProfileBuilder.build(f, List.of("x")).features().get(0);

    assertThat(x.cuts()).isEmpty();
    assertThat(x.shares()).containsExactly(0.0, 1.0);
    assertThat(x.bin(3.0)).isZero();
    assertThat(x.bin(null)).isEqualTo(1);
  }

  @Test
  void theTrainingDataHasNoDriftAgainstItsOwnProfile() {
    double[] x = new double[1_000];
    String[] c = new String[1_000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 7 == 0 ? Double.NaN : Math.sqrt(i);
      c[i] = i % 11 == 0 ? null : "c" + (i % 5);
    }
    Frame f = new Frame(List.of(new NumericColumn("x", x), new CategoricalColumn("c", c)));
    ReferenceProfile p = ProfileBuilder.build(f, List.of("x", "c"));

    for (int k = 0; k < 2; k++) {
      Column column = f.columns().get(k);
      List<Object> observed = new ArrayList<>();
      for (int i = 0; i < column.size(); i++) {
        observed.add(column.value(i));
      }
      assertThat(ReferenceProfile.psi(p.features().get(k), observed)).isCloseTo(0.0, within(1e-12));
    }
  }
}
