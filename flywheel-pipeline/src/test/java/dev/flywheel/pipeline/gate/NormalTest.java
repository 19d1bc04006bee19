package dev.flywheel.pipeline.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The normal CDF and quantile against values from printed tables. */
class NormalTest {

  @Test
  void cdfMatchesTableValues() {
    assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Normal.cdf(1.959963985)).isCloseTo(0.975, within(1e-7));
    assertThat(Normal.cdf(-1)).isCloseTo(0.1586552539, within(1e-7));
    assertThat(Normal.cdf(3)).isCloseTo(0.9986501020, within(1e-7));
  }

  @Test
  void quantileInvertsTheCdf() {
    assertThat(Normal.quantile(0.975)).isCloseTo(1.959963985, within(1e-6));
    assertThat(Normal.quantile(0.5)).isCloseTo(0, within(1e-7));
    assertThat(Normal.quantile(0.01)).isCloseTo(-2.326347874, within(1e-6));
    assertThat(Normal.quantile(0.995)).isCloseTo(2.575829304, within(1e-6));
  }
}
