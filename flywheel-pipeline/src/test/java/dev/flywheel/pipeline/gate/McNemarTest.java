package dev.flywheel.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known answers for McNemar's non-inferiority test: better passes, equal passes, worse fails. */
class McNemarTest {

  private static final double TOLERANCE = 0.005;

  /**
   * Outcomes on {@code n} rows: both right on the first {@code both} rows, then {@code b} rows
   * right only for the challenger, then {@code c} rows only for production; both wrong after.
   */
  private static boolean[][] outcomes(int n, int both, int b, int c) {
    boolean[] ch = new boolean[n];
    boolean[] pr = new boolean[n];
    for (int i = 0; i < both; i++) {
      ch[i] = true;
      pr[i] = true;
    }
    for (int i = both; i < both + b; i++) {
      ch[i] = true;
    }
    for (int i = both + b; i < both + b + c; i++) {
      pr[i] = true;
    }
    return new boolean[][] {ch, pr};
  }

  @Test
  void clearlyBetterChallengerPasses() {
    boolean[][] o = outcomes(1000, 700, 200, 20);

    McNemar.Result r = McNemar.compute(o[0], o[1], TOLERANCE, 0.95);

    assertThat(r.challenger()).isEqualTo(0.9);
    assertThat(r.production()).isEqualTo(0.72);
    assertThat(r.improvement()).isCloseTo(0.18, within(1e-12));
    assertThat(r.pValue()).isLessThan(1e-10);
    assertThat(r.lower()).isGreaterThan(0.1);
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void identicalChallengerPassesWithoutAPValue() {
    boolean[][] o = outcomes(500, 400, 0, 0);

    McNemar.Result r = McNemar.compute(o[0], o[0].clone(), TOLERANCE, 0.95);

    assertThat(r.improvement()).isZero();
    assertThat(r.pValue()).isNull();
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void equalAccuracyOnEnoughRowsPassesNonInferiority() {
    // Same accuracy, 80 rows where they disagree out of 20,000: z = (0 + 100 − 1)/√80 ≈ 11.07.
    boolean[][] o = outcomes(20_000, 15_000, 40, 40);

    McNemar.Result r = McNemar.compute(o[0], o[1], TOLERANCE, 0.95);

    assertThat(r.improvement()).isZero();
    assertThat(r.pValue()).isCloseTo(1 - Normal.cdf(99 / Math.sqrt(80)), within(1e-12));
    assertThat(r.pValue()).isLessThan(0.025);
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void equalAccuracyOnTooFewRowsIsNotShownNonInferior() {
    // The same accuracy, but 1000 rows cannot rule out a loss of 0.005: z = 4/√40 ≈ 0.63.
    boolean[][] o = outcomes(1000, 750, 20, 20);

    McNemar.Result r = McNemar.compute(o[0], o[1], TOLERANCE, 0.95);

    assertThat(r.pValue()).isCloseTo(1 - Normal.cdf(4 / Math.sqrt(40)), within(1e-12));
    assertThat(r.nonInferior()).isFalse();
  }

  @Test
  void clearlyWorseChallengerFails() {
    boolean[][] o = outcomes(1000, 700, 20, 200);

    McNemar.Result r = McNemar.compute(o[0], o[1], TOLERANCE, 0.95);

    assertThat(r.improvement()).isCloseTo(-0.18, within(1e-12));
    assertThat(r.pValue()).isGreaterThan(0.999);
    assertThat(r.upper()).isLessThan(-0.1);
    assertThat(r.nonInferior()).isFalse();
  }

  @Test
  void withoutToleranceTheStatisticIsTheContinuityCorrectedChiSquare() {
    // b = 30, c = 12: chi-square (|30 − 12| − 1)² / 42 = 289/42; one-sided p = 1 − Φ(√(289/42)).
    boolean[][] o = outcomes(300, 200, 30, 12);

    McNemar.Result r = McNemar.compute(o[0], o[1], 0, 0.95);

    assertThat(r.pValue()).isCloseTo(1 - Normal.cdf(Math.sqrt(289.0 / 42)), within(1e-12));
    // Φ(2.623) ≈ 0.99564, from a printed normal table.
    assertThat(r.pValue()).isCloseTo(0.00436, within(2e-5));
    assertThat(r.nonInferior()).isTrue();
  }

  @Test
  void theIntervalAgreesWithThePValue() {
    for (int c = 0; c <= 60; c += 3) {
      boolean[][] o = outcomes(2000, 1500, 30, c);
      McNemar.Result r = McNemar.compute(o[0], o[1], TOLERANCE, 0.95);
      assertThat(r.lower() >= -TOLERANCE).as("c = %d", c).isEqualTo(r.nonInferior());
    }
  }
}
