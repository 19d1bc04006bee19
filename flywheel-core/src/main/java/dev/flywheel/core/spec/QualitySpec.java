package dev.flywheel.core.spec;

import dev.flywheel.core.schema.AnomalyKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data quality gate ({@code quality:} in docs/spec.md): thresholds for the anomalies that are
 * measured rather than declared, and which anomaly kinds stop a run. Anomalies of other kinds are
 * warnings in the run's output.
 *
 * @param maxNullRate the largest share of missing values a column may have, or null for no limit
 * @param failOn the anomaly kinds that stop a training run (exit 3)
 * @param maxRowChange the largest relative change in curated rows against the previous dataset
 *     version, as a share of its rows, before a {@code row_count_change} anomaly
 * @param maxPsi a column's PSI against the previous dataset version at which it is a {@code
 *     distribution_change} anomaly
 */
public record QualitySpec(
    Double maxNullRate, Set<AnomalyKind> failOn, double maxRowChange, double maxPsi) {

  /**
   * By default everything the spec declares is enforced (a declared schema is a promise about the
   * data); what is only measured (duplicates, changes against the last version) warns.
   */
  public static final Set<AnomalyKind> DEFAULT_FAIL_ON =
      Set.copyOf(
          EnumSet.of(
              AnomalyKind.MISSING_COLUMN,
              AnomalyKind.UNEXPECTED_COLUMN,
              AnomalyKind.TYPE_MISMATCH,
              AnomalyKind.NULL_RATE,
              AnomalyKind.OUT_OF_RANGE,
              AnomalyKind.UNSEEN_CATEGORY));

  public static final QualitySpec DEFAULT = new QualitySpec(null, DEFAULT_FAIL_ON, 0.5, 0.2);

  public QualitySpec {
    failOn = failOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(failOn));
  }
}
