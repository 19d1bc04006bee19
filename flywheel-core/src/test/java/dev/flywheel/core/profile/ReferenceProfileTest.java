package dev.flywheel.core.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReferenceProfileTest {

  /** Cuts at 10, 20, … 90: the deciles of a uniform sample on [0, 100]. */
  private static final List<Double> CUTS =
      List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0);

  private static FeatureProfile.Numeric uniform() {
    List<Double> shares = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      shares.add(0.1);
    }
    shares.add(0.0);
    return new FeatureProfile.Numeric("x", CUTS, shares);
  }

  private static List<Object> uniformSample(long seed, int n, double shift) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.nextDouble() * 100 + shift);
    }
    return out;
  }

  @Test
  void numericValueEqualToACutGoesToTheLowerBin() {
    FeatureProfile.Numeric p = uniform();

    assertThat(p.bin(10.0)).isZero();
    assertThat(p.bin(10.000001)).isEqualTo(1);
    assertThat(p.bin(90.0)).isEqualTo(8);
    assertThat(p.bin(90.5)).isEqualTo(9);
    assertThat(p.bin(-1e300)).isZero();
    assertThat(p.bin(Double.POSITIVE_INFINITY)).isEqualTo(9);
    assertThat(p.bin(45)).as("an Integer is a number").isEqualTo(4);
  }

  @Test
  void numericMissingGoesToTheLastBin() {
    FeatureProfile.Numeric p = uniform();

    assertThat(p.bin(null)).isEqualTo(10);
    assertThat(p.bin(Double.NaN)).isEqualTo(10);
    assertThat(p.bin(null)).isEqualTo(p.shares().size() - 1);
  }

  @Test
  void categoricalBinsAreCategoriesThenOtherThenMissing() {
    FeatureProfile.Categorical p =
        new FeatureProfile.Categorical(
            "plan", List.of("basic", "pro"), List.of(0.5, 0.4, 0.0, 0.1));

    assertThat(p.bin("basic")).isZero();
    assertThat(p.bin("pro")).isEqualTo(1);
    assertThat(p.bin("enterprise")).as("other").isEqualTo(2);
    assertThat(p.bin("Basic")).as("case matters").isEqualTo(2);
    assertThat(p.bin(null)).as("missing").isEqualTo(3);
  }

  @Test
  void psiOfTheSameDistributionIsNearZero() {
    double psi = ReferenceProfile.psi(uniform(), uniformSample(7, 10_000, 0));

    assertThat(psi).isBetween(0.0, 0.01);
  }

  @Test
  void psiOfExactlyTheReferenceSharesIsZero() {
    List<Object> values = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      values.add(b * 10 + 5.0);
    }
    assertThat(ReferenceProfile.psi(uniform(), values)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void psiOfAShiftedDistributionIsAboveTheDriftThreshold() {
    double psi = ReferenceProfile.psi(uniform(), uniformSample(7, 10_000, 30));

    assertThat(psi).isGreaterThan(0.2);
  }

  @Test
  void emptyBinsCountAsOneTenThousandth() {
    // Every observed value falls in bin 0: the nine other bins and the missing bin are empty.
    List<Object> values = new ArrayList<>(Arrays.asList(1.0, 2.0, 3.0, 4.0));
    double expected = (1.0 - 0.1) * Math.log(1.0 / 0.1);
    for (int b = 1; b < 10; b++) {
      expected += (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    }
    // The missing bin: reference share 0 and observed share 0 both count as 1e-4, adding nothing.

    assertThat(ReferenceProfile.psi(uniform(), values)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void anEmptyReferenceBinCountsAsOneTenThousandthToo() {
    // Half the observed values are missing, where the reference had none.
    List<Object> values = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      values.add(b * 10 + 5.0);
      values.add(null);
    }
    double expected =
        10 * (0.05 - 0.1) * Math.log(0.05 / 0.1) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);

    assertThat(ReferenceProfile.psi(uniform(), values)).isCloseTo(expected, within(1e-12));
  }

  @Test
  void psiStaysFiniteForNoObservations() {
    assertThat(ReferenceProfile.psi(uniform(), List.of())).isFinite().isPositive();
  }

  @Test
  void psiPerFeatureReadsEachFeatureFromTheRows() {
    ReferenceProfile profile =
        new ReferenceProfile(
            100,
            List.of(
                uniform(),
                new FeatureProfile.Categorical(
                    "plan", List.of("a", "b"), List.of(0.5, 0.5, 0.0, 0.0))));
    List<Map<String, ?>> rows = new ArrayList<>();
    for (Object x : uniformSample(3, 1_000, 0)) {
      Map<String, Object> row = new HashMap<>();
      row.put("x", x);
      row.put("plan", "c");
      rows.add(row);
    }

    Map<String, Double> psi = profile.psi(rows);

    assertThat(psi.keySet()).containsExactly("x", "plan");
    assertThat(psi.get("x")).isLessThan(0.05);
    assertThat(psi.get("plan")).isGreaterThan(5);
  }
}
