package dev.flywheel.pipeline.monitor;

import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.core.spec.MonitoringSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures PSI drift of a window of logged instances against a bundle's reference profile, with the
 * bins and the rule of INTERFACES.md ({@link ReferenceProfile#psi}), and applies the minimum window
 * size below which nothing is flagged ({@link Monitor#minimumPredictions}).
 */
final class DriftCheck {

  private DriftCheck() {}

  /**
   * @param profile the training data's reference profile
   * @param rows the window's instances as raw values by feature (see {@link LoggedJson#instance})
   * @param spec the spec's drift settings
   */
  static MonitoringReport.Drift measure(
      ReferenceProfile profile, List<Map<String, Object>> rows, MonitoringSpec.Drift spec) {
    boolean enough = !rows.isEmpty() && rows.size() >= Monitor.minimumPredictions(spec.window());
    List<MonitoringReport.FeatureDrift> features = new ArrayList<>(profile.features().size());
    int drifted = 0;
    for (FeatureProfile f : profile.features()) {
      Double psi = null;
      boolean featureDrifted = false;
      if (!rows.isEmpty()) {
        List<Object> values = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
          values.add(row.get(f.name()));
        }
        psi = ReferenceProfile.psi(f, values);
        featureDrifted = enough && psi >= spec.threshold();
      }
      if (featureDrifted) {
        drifted++;
      }
      features.add(new MonitoringReport.FeatureDrift(f.name(), psi, featureDrifted));
    }
    boolean windowDrifted =
        !features.isEmpty() && (double) drifted / features.size() > spec.share();
    return new MonitoringReport.Drift(spec.method(), spec.threshold(), windowDrifted, features);
  }
}
