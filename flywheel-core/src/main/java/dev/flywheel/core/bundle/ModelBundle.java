package dev.flywheel.core.bundle;

import dev.flywheel.core.features.FeaturePipeline;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.profile.ReferenceProfile;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to serve and watch one model: its manifest, the fitted feature pipeline, the
 * model, and the training data's reference profile. Write and read bundles with {@link BundleIO}.
 */
public record ModelBundle(
    Manifest manifest, FeaturePipeline pipeline, Model model, ReferenceProfile profile) {

  /**
   * A copy whose manifest records a binary decision threshold and feature importances (either may
   * be null).
   */
  public ModelBundle withDecision(Double threshold, FeatureImportance importance) {
    return new ModelBundle(manifest.withDecision(threshold, importance), pipeline, model, profile);
  }

  /** Predicts raw rows, applying the bundle's own feature pipeline first. */
  public Predictions predict(List<? extends Map<String, ?>> rows) {
    double[][] x = new double[rows.size()][];
    for (int i = 0; i < x.length; i++) {
      x[i] = pipeline.transform(rows.get(i));
    }
    return model.predict(x);
  }
}
