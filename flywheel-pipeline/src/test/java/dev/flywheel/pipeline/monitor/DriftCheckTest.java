package dev.flywheel.pipeline.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.core.spec.MonitoringSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PSI over logged instances against hand-computed values. The profiles are smaller than real ones
 * (three cuts instead of nine) to keep the arithmetic short; nothing depends on the number of cuts.
 */
class DriftCheckTest {

  /** Bins (−∞, 10], (10, 20], (20, 30], (30, ∞), missing. */
  private static final FeatureProfile.Numeric INCOME =
      new FeatureProfile.Numeric(
          "income", List.of(10.0, 20.0, 30.0), List.of(0.2, 0.3, 0.3, 0.1, 0.1));

  /** Bins basic, plus, pro, other, missing; training saw no other and no missing. */
  private static final FeatureProfile.Categorical PLAN =
      new FeatureProfile.Categorical(
          "plan", List.of("basic", "plus", "pro"), List.of(0.5, 0.3, 0.2, 0.0, 0.0));

  private static final ReferenceProfile PROFILE = new ReferenceProfile(1000, List.of(INCOME, PLAN));

  /** Ten logged instances, as the server logs them: JSON as received. */
  private static final List<String> LOGGED =
      List.of(
          "{\"income\": 5, \"plan\": \"basic\"}",
          "{\"income\": 15, \"plan\": \"basic\"}",
          "{\"income\": 15.0, \"plan\": \"basic\"}",
          "{\"income\": 25, \"plan\": \"basic\"}",
          "{\"income\": 25, \"plan\": \"plus\"}",
          "{\"income\": 25, \"plan\": \"plus\"}",
          "{\"income\": 35, \"plan\": \"plus\"}",
          "{\"income\": 35, \"plan\": \"enterprise\", \"zip\": \"94110\"}",
          "{\"income\": null, \"plan\": null}",
          "{\"plan\": \"pro\"}");

  private static List<Map<String, Object>> rows(List<String> logged) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String json : logged) {
      rows.add(LoggedJson.instance(json, List.of("income", "plan")));
    }
    return rows;
  }

  private static MonitoringSpec.Drift spec(double threshold, int window, double share) {
    return new MonitoringSpec.Drift("psi", threshold, window, share);
  }

  private static double psi(MonitoringReport.Drift drift, String feature) {
    return drift.features().stream()
        .filter(f -> f.name().equals(feature))
        .findFirst()
        .orElseThrow()
        .psi();
  }

  @Test
  void numericPsiMatchesTheHandComputedValue() {
    // Observed bins: 5 → (−∞,10]; 15, 15.0 → (10,20]; 25 ×3 → (20,30]; 35 ×2 → (30,∞);
    // null and absent → missing. Shares: 0.1, 0.2, 0.3, 0.2, 0.2 against 0.2, 0.3, 0.3, 0.1, 0.1.
    // PSI = (0.1−0.2)·ln(0.1/0.2) + (0.2−0.3)·ln(0.2/0.3) + 0 + (0.2−0.1)·ln 2 + (0.2−0.1)·ln 2
    //     = 0.1·ln 2 + 0.1·ln 1.5 + 0.1·ln 2 + 0.1·ln 2 = 0.3·0.693147 + 0.1·0.405465 = 0.248491
    MonitoringReport.Drift drift = DriftCheck.measure(PROFILE, rows(LOGGED), spec(0.2, 10, 0.0));

    assertThat(psi(drift, "income")).isCloseTo(0.248491, within(1e-6));
    assertThat(drift.features().get(0).drifted()).isTrue();
  }

  @Test
  void categoricalPsiCountsAnUnseenCategoryAsOtherAndNullAsMissing() {
    // Observed: basic ×4, plus ×3, pro ×1, "enterprise" → other, null → missing.
    // Shares 0.4, 0.3, 0.1, 0.1, 0.1 against 0.5, 0.3, 0.2, 0 → 1e-4, 0 → 1e-4.
    // PSI = (0.4−0.5)·ln(0.4/0.5) + 0 + (0.1−0.2)·ln(0.1/0.2) + 2·(0.1−0.0001)·ln(0.1/0.0001)
    //     = 0.1·ln 1.25 + 0.1·ln 2 + 0.1998·ln 1000
    //     = 0.022314 + 0.069315 + 0.1998·6.907755 = 0.091629 + 1.380170 = 1.471799
    MonitoringReport.Drift drift = DriftCheck.measure(PROFILE, rows(LOGGED), spec(0.2, 10, 0.0));

    assertThat(psi(drift, "plan")).isCloseTo(1.471799, within(1e-6));
  }

  @Test
  void anEmptyObservedBinCountsAsOneTenThousandth() {
    // Observed 5, 15, 25, 25: shares 0.25, 0.25, 0.5, 0 → 1e-4, and missing 0 → 1e-4, against
    // 0.25 ×4 and missing 0 → 1e-4 (which adds nothing).
    // PSI = 0 + 0 + (0.5−0.25)·ln 2 + (0.0001−0.25)·ln(0.0001/0.25)
    //     = 0.25·0.693147 + (−0.2499)·(−7.824046) = 0.173287 + 1.955229 = 2.128516
    FeatureProfile.Numeric quarters =
        new FeatureProfile.Numeric(
            "income", List.of(10.0, 20.0, 30.0), List.of(0.25, 0.25, 0.25, 0.25, 0.0));
    List<Map<String, Object>> rows =
        rows(
            List.of("{\"income\": 5}", "{\"income\": 15}", "{\"income\": 25}", "{\"income\": 25}"));

    MonitoringReport.Drift drift =
        DriftCheck.measure(new ReferenceProfile(100, List.of(quarters)), rows, spec(0.2, 10, 0));

    assertThat(psi(drift, "income")).isCloseTo(2.128516, within(1e-6));
  }

  @Test
  void aNumberSentAsTextOrABooleanIsMissingAsTheBinsSeeIt() {
    Map<String, Object> row =
        LoggedJson.instance("{\"income\": \"15\", \"plan\": true}", List.of("income", "plan"));

    assertThat(row).containsEntry("income", "15").containsEntry("plan", null);
    assertThat(INCOME.bin(row.get("income"))).as("text is missing for a number").isEqualTo(4);
    assertThat(LoggedJson.instance("not json", List.of("income"))).isNull();
    assertThat(LoggedJson.instance("[1, 2]", List.of("income"))).isNull();
  }

  @Test
  void theWindowDriftsWhenTheShareOfDriftedFeaturesIsGreaterThanShare() {
    // income 0.248 and plan 1.472: both drift at 0.2, only plan at 1.0.
    List<Map<String, Object>> rows = rows(LOGGED);

    assertThat(DriftCheck.measure(PROFILE, rows, spec(1.0, 10, 0.0)).drifted())
        .as("share 0.0: any feature")
        .isTrue();
    assertThat(DriftCheck.measure(PROFILE, rows, spec(1.0, 10, 0.5)).drifted())
        .as("1 of 2 is not greater than 0.5")
        .isFalse();
    assertThat(DriftCheck.measure(PROFILE, rows, spec(1.0, 10, 0.4)).drifted()).isTrue();
    assertThat(DriftCheck.measure(PROFILE, rows, spec(0.2, 10, 0.5)).drifted()).isTrue();
    assertThat(DriftCheck.measure(PROFILE, rows, spec(2.0, 10, 0.0)).drifted()).isFalse();
    assertThat(DriftCheck.measure(PROFILE, rows, spec(1.0, 10, 0.0)).driftedFeatures())
        .containsExactly("plan");
  }

  @Test
  void belowTheMinimumPsiIsReportedButNothingIsFlagged() {
    // A window of 1000 needs 200 predictions before drift is flagged; 10 are not enough.
    MonitoringReport.Drift drift = DriftCheck.measure(PROFILE, rows(LOGGED), spec(0.2, 1000, 0));

    assertThat(Monitor.minimumPredictions(1000)).isEqualTo(200);
    assertThat(Monitor.minimumPredictions(50))
        .as("a smaller window is its own minimum")
        .isEqualTo(50);
    assertThat(psi(drift, "income")).isCloseTo(0.248491, within(1e-6));
    assertThat(drift.drifted()).isFalse();
    assertThat(drift.features()).noneMatch(MonitoringReport.FeatureDrift::drifted);
  }

  @Test
  void anEmptyWindowHasNoPsi() {
    MonitoringReport.Drift drift = DriftCheck.measure(PROFILE, List.of(), spec(0.2, 10, 0));

    assertThat(drift.features())
        .extracting(MonitoringReport.FeatureDrift::psi)
        .containsExactly(null, null);
    assertThat(drift.drifted()).isFalse();
  }
}
