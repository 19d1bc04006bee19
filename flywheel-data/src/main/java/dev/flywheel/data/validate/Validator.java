package dev.flywheel.data.validate;

import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.profile.FeatureProfile;
import dev.flywheel.core.profile.ReferenceProfile;
import dev.flywheel.core.schema.AnomalyKind;
import dev.flywheel.core.schema.LogicalType;
import dev.flywheel.core.spec.CleanSpec;
import dev.flywheel.core.spec.QualitySpec;
import dev.flywheel.core.spec.SchemaSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Validates collected data against a spec's schema and quality thresholds, and against the previous
 * dataset version, TFDV-style: every anomaly kind of {@link AnomalyKind}, each with its count, up
 * to five examples with row numbers, and a message. Which kinds stop a run is {@code
 * quality.fail_on}'s decision, recorded in each anomaly.
 *
 * <p>Schema, null, range, category and duplicate checks read the rows as collected (before
 * cleaning), so row numbers point into the source. Row count and distribution changes compare the
 * curated rows, which is what a dataset version holds.
 */
public final class Validator {

  private Validator() {}

  /**
   * Validates {@code raw} (and {@code curated}, the rows a training run would keep).
   *
   * @param dedupe which rows count as duplicates ({@code clean.dedupe}; off still reports full-row
   *     duplicates)
   * @param previous the previous dataset version, or null
   */
  public static ValidationReport validate(
      Frame raw,
      Frame curated,
      SchemaSpec schema,
      QualitySpec quality,
      CleanSpec.Dedupe dedupe,
      DatasetProfile.Previous previous) {
    Checks checks = new Checks(quality);
    List<ValidationReport.ColumnSummary> summaries = new ArrayList<>();
    for (Column c : raw.columns()) {
      SchemaSpec.ColumnSchema declared = schema.columns().get(c.name());
      summaries.add(
          new ValidationReport.ColumnSummary(
              c.name(),
              LogicalTypes.infer(c).specName(),
              declared == null || declared.type() == null ? null : declared.type().specName(),
              nulls(c)));
    }
    for (var e : schema.columns().entrySet()) {
      if (raw.find(e.getKey()).isEmpty() && e.getValue().required()) {
        checks.add(
            e.getKey(),
            AnomalyKind.MISSING_COLUMN,
            1,
            List.of(),
            "'"
                + e.getKey()
                + "' is declared in schema.columns but is not in the data; its columns are "
                + String.join(", ", raw.names())
                + ". Fix the source, or set required: false",
            null);
      }
    }
    for (Column c : raw.columns()) {
      SchemaSpec.ColumnSchema declared = schema.columns().get(c.name());
      if (declared == null && !schema.allowExtra()) {
        checks.add(
            c.name(),
            AnomalyKind.UNEXPECTED_COLUMN,
            1,
            List.of(),
            "'"
                + c.name()
                + "' is not declared in schema.columns and schema.allow_extra is false. Declare it,"
                + " or drop it from the source",
            null);
      }
      if (declared != null) {
        declaredChecks(checks, c, declared);
      }
      if (previous != null && (declared == null || declared.type() == null)) {
        typeChange(checks, c, previous);
      }
      nullRate(checks, c, declared, raw.rowCount());
    }
    duplicates(checks, raw, dedupe);
    if (previous != null) {
      rowCount(checks, curated, previous);
      distribution(checks, curated, previous);
    }
    List<Anomaly> anomalies = checks.anomalies;
    return new ValidationReport(
        anomalies.stream().noneMatch(Anomaly::failsGate),
        raw.rowCount(),
        summaries,
        anomalies,
        quality.failOn().stream().sorted().map(AnomalyKind::specName).toList(),
        previous == null ? null : previous.version());
  }

  private static void declaredChecks(Checks checks, Column c, SchemaSpec.ColumnSchema declared) {
    LogicalType type = declared.type();
    if (type != null) {
      Hits bad = scan(c, i -> !LogicalTypes.fits(type, c.value(i)));
      if (bad.count > 0) {
        checks.add(
            c.name(),
            AnomalyKind.TYPE_MISMATCH,
            bad.count,
            bad.examples,
            bad.count
                + " value"
                + plural(bad.count)
                + " of '"
                + c.name()
                + "' "
                + (bad.count == 1 ? "is" : "are")
                + " not "
                + type.specName()
                + " as declared, e.g. "
                + bad.first()
                + ". Fix the data, or the declared type",
            null);
      }
    }
    if (declared.min() != null || declared.max() != null) {
      double min = declared.min() == null ? Double.NEGATIVE_INFINITY : declared.min();
      double max = declared.max() == null ? Double.POSITIVE_INFINITY : declared.max();
      Hits out =
          scan(
              c,
              i -> {
                Double d = LogicalTypes.number(c.value(i));
                return d != null && (d < min || d > max);
              });
      if (out.count > 0) {
        checks.add(
            c.name(),
            AnomalyKind.OUT_OF_RANGE,
            out.count,
            out.examples,
            out.count
                + " value"
                + plural(out.count)
                + " of '"
                + c.name()
                + "' "
                + (out.count == 1 ? "is" : "are")
                + " outside ["
                + bound(declared.min())
                + ", "
                + bound(declared.max())
                + "], e.g. "
                + out.first()
                + ". Fix the data, or schema.columns."
                + c.name()
                + ".min/max",
            null);
      }
    }
    if (declared.values() != null) {
      Set<String> allowed = new HashSet<>(declared.values());
      Hits unseen = scan(c, i -> !allowed.contains(c.canonical(i)));
      if (unseen.count > 0) {
        checks.add(
            c.name(),
            AnomalyKind.UNSEEN_CATEGORY,
            unseen.count,
            unseen.examples,
            unseen.count
                + " value"
                + plural(unseen.count)
                + " of '"
                + c.name()
                + "' "
                + (unseen.count == 1 ? "is" : "are")
                + " not one of "
                + String.join("|", declared.values())
                + ", e.g. "
                + unseen.first()
                + ". Fix the data, or add the category to schema.columns."
                + c.name()
                + ".values",
            null);
      }
    }
  }

  /** An undeclared column stored as numbers last time and as text now, or the other way. */
  private static void typeChange(Checks checks, Column c, DatasetProfile.Previous previous) {
    String before = previous.types().get(c.name());
    if (before == null) {
      return;
    }
    boolean wasNumber = LogicalType.fromSpecName(before).map(LogicalType::isNumber).orElse(false);
    boolean isNumber = c instanceof NumericColumn;
    if (wasNumber == isNumber) {
      return;
    }
    LogicalType now = LogicalTypes.infer(c);
    Hits bad =
        wasNumber ? scan(c, i -> LogicalTypes.number(c.value(i)) == null) : scan(c, i -> true);
    checks.add(
        c.name(),
        AnomalyKind.TYPE_MISMATCH,
        bad.count,
        bad.examples,
        "'"
            + c.name()
            + "' was "
            + before
            + " in dataset version "
            + previous.version()
            + " and is "
            + now.specName()
            + " now"
            + (bad.count > 0 ? ", e.g. " + bad.first() : "")
            + ". Fix the data, or declare the type in schema.columns."
            + c.name()
            + ".type to accept the change",
        null);
  }

  private static void nullRate(
      Checks checks, Column c, SchemaSpec.ColumnSchema declared, int rows) {
    long nulls = nulls(c);
    if (nulls == 0 || rows == 0) {
      return;
    }
    double rate = nulls / (double) rows;
    List<Anomaly.Example> examples = new ArrayList<>();
    for (int i = 0; i < c.size() && examples.size() < Anomaly.MAX_EXAMPLES; i++) {
      if (c.isMissing(i)) {
        examples.add(new Anomaly.Example(i + 1L, null));
      }
    }
    if (declared != null && !declared.nullable()) {
      checks.add(
          c.name(),
          AnomalyKind.NULL_RATE,
          nulls,
          examples,
          nulls
              + " value"
              + plural(nulls)
              + " of '"
              + c.name()
              + "' "
              + (nulls == 1 ? "is" : "are")
              + " missing, but it is declared nullable: false, e.g. row "
              + examples.get(0).row()
              + ". Fix the data, or set nullable: true",
          rate);
    } else if (checks.quality.maxNullRate() != null && rate > checks.quality.maxNullRate()) {
      checks.add(
          c.name(),
          AnomalyKind.NULL_RATE,
          nulls,
          examples,
          String.format(
              Locale.ROOT,
              "'%s' is missing in %s of rows (%d of %d), above quality.max_null_rate %s. Fix the"
                  + " data, or raise quality.max_null_rate",
              c.name(),
              percent(rate),
              nulls,
              rows,
              percent(checks.quality.maxNullRate())),
          rate);
    }
  }

  private static void duplicates(Checks checks, Frame raw, CleanSpec.Dedupe dedupe) {
    List<Column> key = null;
    if (dedupe instanceof CleanSpec.Dedupe.Key k
        && k.columns().stream().allMatch(n -> raw.find(n).isPresent())) {
      key = k.columns().stream().map(raw::column).toList();
    }
    Map<String, Integer> first = new HashMap<>();
    long count = 0;
    List<Anomaly.Example> examples = new ArrayList<>();
    for (int i = 0; i < raw.rowCount(); i++) {
      String text;
      if (key == null) {
        text = raw.canonicalRow(i);
      } else {
        StringBuilder sb = new StringBuilder();
        for (Column c : key) {
          sb.append(c.canonical(i)).append('\u001f');
        }
        text = sb.toString();
      }
      Integer earlier = first.putIfAbsent(text, i);
      if (earlier != null) {
        count++;
        if (examples.size() < Anomaly.MAX_EXAMPLES) {
          examples.add(new Anomaly.Example(i + 1L, "repeats row " + (earlier + 1)));
        }
      }
    }
    if (count > 0) {
      checks.add(
          null,
          AnomalyKind.DUPLICATES,
          count,
          examples,
          count
              + " row"
              + plural(count)
              + " repeat"
              + (count == 1 ? "s" : "")
              + " an earlier row"
              + (key == null ? "" : " on the key " + ((CleanSpec.Dedupe.Key) dedupe).columns())
              + ", e.g. row "
              + examples.get(0).row()
              + " "
              + examples.get(0).value()
              + "; training runs drop them unless clean.dedupe is false",
          count / (double) raw.rowCount());
    }
  }

  private static void rowCount(Checks checks, Frame curated, DatasetProfile.Previous previous) {
    long before = previous.rows();
    long now = curated.rowCount();
    if (before == 0) {
      return;
    }
    double change = (now - before) / (double) before;
    if (Math.abs(change) > checks.quality.maxRowChange()) {
      checks.add(
          null,
          AnomalyKind.ROW_COUNT_CHANGE,
          Math.abs(now - before),
          List.of(),
          String.format(
              Locale.ROOT,
              "%d rows after cleaning, %s%s against %d in dataset version %d, beyond"
                  + " quality.max_row_change %s",
              now,
              change > 0 ? "+" : "",
              percent(change),
              before,
              previous.version(),
              percent(checks.quality.maxRowChange())),
          change);
    }
  }

  private static void distribution(Checks checks, Frame curated, DatasetProfile.Previous previous) {
    for (FeatureProfile reference : previous.reference().features()) {
      Column c = curated.find(reference.name()).orElse(null);
      if (c == null || c.size() == 0) {
        continue;
      }
      boolean numericReference = reference instanceof FeatureProfile.Numeric;
      if (numericReference != (c instanceof NumericColumn)) {
        continue; // a change of type, reported as type_mismatch
      }
      List<Object> values = new ArrayList<>(c.size());
      for (int i = 0; i < c.size(); i++) {
        values.add(c.value(i));
      }
      double psi = ReferenceProfile.psi(reference, values);
      if (psi < checks.quality.maxPsi()) {
        continue;
      }
      double[] counts = new double[reference.shares().size()];
      for (Object v : values) {
        counts[reference.bin(v)]++;
      }
      Integer[] bins = new Integer[counts.length];
      for (int b = 0; b < bins.length; b++) {
        bins[b] = b;
      }
      Arrays.sort(
          bins,
          Comparator.comparingDouble(
              (Integer b) -> -Math.abs(counts[b] / values.size() - reference.shares().get(b))));
      List<Anomaly.Example> examples = new ArrayList<>();
      for (int k = 0; k < Math.min(Anomaly.MAX_EXAMPLES, bins.length); k++) {
        int b = bins[k];
        examples.add(
            new Anomaly.Example(
                null,
                binName(reference, b)
                    + ": "
                    + percent(reference.shares().get(b))
                    + " → "
                    + percent(counts[b] / values.size())));
      }
      checks.add(
          c.name(),
          AnomalyKind.DISTRIBUTION_CHANGE,
          values.size(),
          examples,
          String.format(
              Locale.ROOT,
              "'%s' has PSI %.3f against dataset version %d, at least quality.max_psi %s; the"
                  + " largest shift is %s",
              c.name(),
              psi,
              previous.version(),
              trim(checks.quality.maxPsi()),
              examples.get(0).value()),
          psi);
    }
  }

  private static String binName(FeatureProfile reference, int b) {
    return switch (reference) {
      case FeatureProfile.Numeric n -> {
        List<Double> cuts = n.cuts();
        if (b == cuts.size() + 1) {
          yield "missing";
        }
        String lo = b == 0 ? "-inf" : trim(cuts.get(b - 1));
        String hi = b == cuts.size() ? "+inf" : trim(cuts.get(b));
        yield "(" + lo + ", " + hi + "]";
      }
      case FeatureProfile.Categorical c -> {
        if (b == c.categories().size() + 1) {
          yield "missing";
        }
        yield b == c.categories().size() ? "other" : "'" + c.categories().get(b) + "'";
      }
    };
  }

  /** Rows with a value for which {@code test} holds, counted, with the first few as examples. */
  private static Hits scan(Column c, IntPredicate test) {
    Hits hits = new Hits();
    for (int i = 0; i < c.size(); i++) {
      if (!c.isMissing(i) && test.test(i)) {
        hits.count++;
        if (hits.examples.size() < Anomaly.MAX_EXAMPLES) {
          hits.examples.add(new Anomaly.Example(i + 1L, c.isMissing(i) ? null : c.canonical(i)));
        }
      }
    }
    return hits;
  }

  private static final class Hits {
    long count;
    final List<Anomaly.Example> examples = new ArrayList<>();

    String first() {
      Anomaly.Example e = examples.get(0);
      return "row " + e.row() + ": '" + e.value() + "'";
    }
  }

  private static final class Checks {
    final QualitySpec quality;
    final List<Anomaly> anomalies = new ArrayList<>();

    Checks(QualitySpec quality) {
      this.quality = quality;
    }

    void add(
        String column,
        AnomalyKind kind,
        long count,
        List<Anomaly.Example> examples,
        String message,
        Double statistic) {
      anomalies.add(
          new Anomaly(
              column,
              kind.specName(),
              count,
              examples,
              message,
              statistic,
              quality.failOn().contains(kind)));
    }
  }

  private static long nulls(Column c) {
    long n = 0;
    for (int i = 0; i < c.size(); i++) {
      if (c.isMissing(i)) {
        n++;
      }
    }
    return n;
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
  }

  private static String bound(Double v) {
    return v == null ? "-inf" : trim(v);
  }

  static String trim(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }

  private static String percent(double share) {
    String s = String.format(Locale.ROOT, "%.1f", share * 100);
    return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
  }
}
