package dev.flywheel.data.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import dev.flywheel.core.schema.AnomalyKind;
import dev.flywheel.core.schema.LogicalType;
import dev.flywheel.core.spec.CleanSpec;
import dev.flywheel.core.spec.QualitySpec;
import dev.flywheel.core.spec.SchemaSpec;
import dev.flywheel.data.curate.Curation;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every anomaly kind of {@link Validator}, on small frames with hand-counted answers. */
class ValidatorTest {

  private static Frame frame(String header, String... rows) {
    FrameBuilder b = new FrameBuilder(List.of(header.split(",", -1)));
    for (String row : rows) {
      b.add(row.split(",", -1));
    }
    return b.build(Map.of());
  }

  private static SchemaSpec.ColumnSchema column(LogicalType type) {
    return new SchemaSpec.ColumnSchema(type, null, null, true, null, true);
  }

  private static ValidationReport validate(Frame raw, SchemaSpec schema, QualitySpec quality) {
    return validate(raw, schema, quality, null);
  }

  private static ValidationReport validate(
      Frame raw, SchemaSpec schema, QualitySpec quality, DatasetProfile.Previous previous) {
    return Validator.validate(raw, raw, schema, quality, new CleanSpec.Dedupe.FullRow(), previous);
  }

  private static Anomaly only(ValidationReport report, AnomalyKind kind) {
    List<Anomaly> found =
        report.anomalies().stream().filter(a -> a.kind().equals(kind.specName())).toList();
    assertThat(found).as(report.anomalies().toString()).hasSize(1);
    return found.get(0);
  }

  @Test
  void cleanDataHasNoAnomaliesAndPasses() {
    Frame raw = frame("age,plan,y", "30,basic,0", "41,pro,1", "25,plus,0");
    Map<String, SchemaSpec.ColumnSchema> cols = new LinkedHashMap<>();
    cols.put(
        "age", new SchemaSpec.ColumnSchema(LogicalType.INTEGER, 0.0, 120.0, false, null, true));
    cols.put(
        "plan",
        new SchemaSpec.ColumnSchema(
            LogicalType.CATEGORICAL, null, null, true, List.of("basic", "plus", "pro"), true));
    ValidationReport report = validate(raw, new SchemaSpec(cols, true), QualitySpec.DEFAULT);
    assertThat(report.anomalies()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.rows()).isEqualTo(3);
    assertThat(report.columns())
        .containsExactly(
            new ValidationReport.ColumnSummary("age", "integer", "integer", 0),
            new ValidationReport.ColumnSummary("plan", "categorical", "categorical", 0),
            new ValidationReport.ColumnSummary("y", "integer", null, 0));
  }

  @Test
  void missingAndUnexpectedColumns() {
    Frame raw = frame("age,extra,y", "30,a,0", "41,b,1");
    Map<String, SchemaSpec.ColumnSchema> cols = new LinkedHashMap<>();
    cols.put("age", column(null));
    cols.put("y", column(null));
    cols.put("plan", column(LogicalType.CATEGORICAL));
    cols.put("note", new SchemaSpec.ColumnSchema(null, null, null, true, null, false));
    ValidationReport report = validate(raw, new SchemaSpec(cols, false), QualitySpec.DEFAULT);

    Anomaly missing = only(report, AnomalyKind.MISSING_COLUMN);
    assertThat(missing.column()).isEqualTo("plan");
    assertThat(missing.count()).isEqualTo(1);
    assertThat(missing.message())
        .contains("'plan' is declared", "age, extra, y", "required: false");
    assertThat(missing.failsGate()).isTrue();
    Anomaly extra = only(report, AnomalyKind.UNEXPECTED_COLUMN);
    assertThat(extra.column()).isEqualTo("extra");
    assertThat(extra.message()).contains("schema.allow_extra is false");
    assertThat(report.passed()).isFalse();
  }

  @Test
  void typeMismatchCountsEveryValueThatDoesNotFitWithRowNumbers() {
    Frame raw =
        frame(
            "age,flag,when,y",
            "30,true,2026-01-01,0",
            "4x,false,2026-01-02,1",
            "2.5,maybe,yesterday,0",
            ",1,2026-01-03T10:00:00,1");
    Map<String, SchemaSpec.ColumnSchema> cols = new LinkedHashMap<>();
    cols.put("age", column(LogicalType.INTEGER));
    cols.put("flag", column(LogicalType.BOOLEAN));
    cols.put("when", column(LogicalType.TIMESTAMP));
    ValidationReport report = validate(raw, new SchemaSpec(cols, true), QualitySpec.DEFAULT);

    List<Anomaly> mismatches =
        report.anomalies().stream().filter(a -> a.kind().equals("type_mismatch")).toList();
    assertThat(mismatches).extracting(Anomaly::column).containsExactly("age", "flag", "when");
    Anomaly age = mismatches.get(0);
    assertThat(age.count()).isEqualTo(2); // "4x" and 2.5; the missing value is a null, not a type
    assertThat(age.examples())
        .containsExactly(new Anomaly.Example(2L, "4x"), new Anomaly.Example(3L, "2.5"));
    assertThat(age.message()).contains("2 values of 'age' are not integer", "row 2: '4x'");
    assertThat(mismatches.get(1).count()).isEqualTo(1);
    assertThat(mismatches.get(1).examples()).containsExactly(new Anomaly.Example(3L, "maybe"));
    assertThat(mismatches.get(2).examples()).containsExactly(new Anomaly.Example(3L, "yesterday"));
  }

  @Test
  void nullRateAboveTheLimitAndNullsInANonNullableColumn() {
    Frame raw = frame("a,b,y", "1,,0", ",x,1", "3,,0", "4,,1", "5,y,0");
    Map<String, SchemaSpec.ColumnSchema> cols =
        Map.of("a", new SchemaSpec.ColumnSchema(null, null, null, false, null, true));
    QualitySpec quality = new QualitySpec(0.5, QualitySpec.DEFAULT_FAIL_ON, 0.5, 0.2);
    ValidationReport report = validate(raw, new SchemaSpec(cols, true), quality);

    List<Anomaly> nulls =
        report.anomalies().stream().filter(a -> a.kind().equals("null_rate")).toList();
    assertThat(nulls).extracting(Anomaly::column).containsExactly("a", "b");
    assertThat(nulls.get(0).count()).isEqualTo(1);
    assertThat(nulls.get(0).examples()).containsExactly(new Anomaly.Example(2L, null));
    assertThat(nulls.get(0).message()).contains("nullable: false");
    assertThat(nulls.get(1).count()).isEqualTo(3);
    assertThat(nulls.get(1).statistic()).isEqualTo(0.6);
    assertThat(nulls.get(1).message()).contains("60% of rows (3 of 5)", "max_null_rate 50%");
    assertThat(nulls.get(1).examples())
        .extracting(Anomaly.Example::row)
        .containsExactly(1L, 3L, 4L);

    // At the limit is not above it; without a limit there is no rate anomaly.
    QualitySpec atLimit = new QualitySpec(0.6, QualitySpec.DEFAULT_FAIL_ON, 0.5, 0.2);
    assertThat(validate(raw, SchemaSpec.NONE, atLimit).anomalies()).isEmpty();
    assertThat(validate(raw, SchemaSpec.NONE, QualitySpec.DEFAULT).anomalies()).isEmpty();
  }

  @Test
  void outOfRangeKeepsFiveExamples() {
    Frame raw = frame("age,y", "-1,0", "30,1", "121,0", "200,1", "-5,0", "150,1", "999,0", "120,1");
    Map<String, SchemaSpec.ColumnSchema> cols =
        Map.of(
            "age", new SchemaSpec.ColumnSchema(LogicalType.INTEGER, 0.0, 120.0, true, null, true));
    Anomaly a =
        only(
            validate(raw, new SchemaSpec(cols, true), QualitySpec.DEFAULT),
            AnomalyKind.OUT_OF_RANGE);
    assertThat(a.count()).isEqualTo(6);
    assertThat(a.examples()).hasSize(5);
    assertThat(a.examples().get(0)).isEqualTo(new Anomaly.Example(1L, "-1"));
    assertThat(a.examples().get(4)).isEqualTo(new Anomaly.Example(6L, "150"));
    assertThat(a.message()).contains("6 values of 'age' are outside [0, 120]");
  }

  @Test
  void unseenCategories() {
    Frame raw = frame("plan,y", "basic,0", "gold,1", "pro,0", "gold,1", ",0");
    Map<String, SchemaSpec.ColumnSchema> cols =
        Map.of(
            "plan",
            new SchemaSpec.ColumnSchema(
                LogicalType.CATEGORICAL, null, null, true, List.of("basic", "plus", "pro"), true));
    Anomaly a =
        only(
            validate(raw, new SchemaSpec(cols, true), QualitySpec.DEFAULT),
            AnomalyKind.UNSEEN_CATEGORY);
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.examples())
        .containsExactly(new Anomaly.Example(2L, "gold"), new Anomaly.Example(4L, "gold"));
    assertThat(a.message()).contains("not one of basic|plus|pro");
  }

  @Test
  void duplicatesOnTheFullRowOrOnTheDedupeKeyWarnByDefault() {
    Frame raw = frame("id,v,y", "1,a,0", "2,b,1", "1,a,0", "2,c,1", "1,a,0");
    Anomaly full =
        only(validate(raw, SchemaSpec.NONE, QualitySpec.DEFAULT), AnomalyKind.DUPLICATES);
    assertThat(full.column()).isNull();
    assertThat(full.count()).isEqualTo(2);
    assertThat(full.examples())
        .containsExactly(
            new Anomaly.Example(3L, "repeats row 1"), new Anomaly.Example(5L, "repeats row 1"));
    assertThat(full.failsGate()).isFalse();

    ValidationReport byKey =
        Validator.validate(
            raw,
            raw,
            SchemaSpec.NONE,
            new QualitySpec(null, Set.of(AnomalyKind.DUPLICATES), 0.5, 0.2),
            new CleanSpec.Dedupe.Key(List.of("id")),
            null);
    assertThat(only(byKey, AnomalyKind.DUPLICATES).count()).isEqualTo(3);
    assertThat(only(byKey, AnomalyKind.DUPLICATES).examples().get(1))
        .isEqualTo(new Anomaly.Example(4L, "repeats row 2"));
    assertThat(byKey.passed()).isFalse();
  }

  @Test
  void rowCountAndDistributionChangesAgainstThePreviousVersion() {
    String[] rowsBefore = new String[100];
    String[] rowsAfter = new String[40];
    for (int i = 0; i < 100; i++) {
      rowsBefore[i] = i + "," + (i % 2 == 0 ? "a" : "b") + "," + (i % 7) + ",0";
    }
    for (int i = 0; i < 40; i++) {
      // x shifts far above every old value; c stays as before; k is unchanged in share
      rowsAfter[i] = (1000 + i) + "," + (i % 2 == 0 ? "a" : "b") + "," + (i % 7) + ",0";
    }
    Frame old = frame("x,c,k,y", rowsBefore);
    Frame now = frame("x,c,k,y", rowsAfter);
    DatasetProfile.Previous previous =
        DatasetProfile.previous(3, old.rowCount(), DatasetProfile.document(old));
    assertThat(previous.types()).containsEntry("x", "integer").containsEntry("c", "categorical");

    ValidationReport report = validate(now, SchemaSpec.NONE, QualitySpec.DEFAULT, previous);
    assertThat(report.previousVersion()).isEqualTo(3);
    Anomaly rows = only(report, AnomalyKind.ROW_COUNT_CHANGE);
    assertThat(rows.count()).isEqualTo(60);
    assertThat(rows.statistic()).isEqualTo(-0.6);
    assertThat(rows.message())
        .contains("40 rows after cleaning, -60% against 100 in dataset version 3");
    assertThat(rows.failsGate()).isFalse();

    Anomaly drift = only(report, AnomalyKind.DISTRIBUTION_CHANGE);
    assertThat(drift.column()).isEqualTo("x");
    assertThat(drift.count()).isEqualTo(40);
    // Every value falls in the top decile bin, which held 10 % before: PSI by hand.
    double expected = (1 - 0.1) * Math.log(1 / 0.1) + 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1);
    assertThat(drift.statistic()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(drift.examples().get(0).value()).isEqualTo("(89.1, +inf]: 10% → 100%");
    assertThat(drift.message()).contains("'x' has PSI", "against dataset version 3");

    // Below the thresholds, nothing.
    QualitySpec loose = new QualitySpec(null, QualitySpec.DEFAULT_FAIL_ON, 0.7, 100);
    assertThat(validate(now, SchemaSpec.NONE, loose, previous).anomalies()).isEmpty();
  }

  @Test
  void anUndeclaredColumnThatTurnedFromNumbersToTextIsATypeMismatch() {
    Frame old = frame("x,y", "1,0", "2,1", "3,0");
    Frame now = frame("x,y", "1,0", "unknown,1", "3,0", "n.a.,1");
    DatasetProfile.Previous previous =
        DatasetProfile.previous(1, old.rowCount(), DatasetProfile.document(old));
    Anomaly a =
        only(
            validate(now, SchemaSpec.NONE, QualitySpec.DEFAULT, previous),
            AnomalyKind.TYPE_MISMATCH);
    assertThat(a.column()).isEqualTo("x");
    assertThat(a.count()).isEqualTo(2);
    assertThat(a.examples())
        .containsExactly(new Anomaly.Example(2L, "unknown"), new Anomaly.Example(4L, "n.a."));
    assertThat(a.message()).contains("was integer in dataset version 1 and is categorical now");
    assertThat(a.failsGate()).isTrue();

    // Declaring the type accepts the change.
    Map<String, SchemaSpec.ColumnSchema> cols = Map.of("x", column(LogicalType.CATEGORICAL));
    assertThat(validate(now, new SchemaSpec(cols, true), QualitySpec.DEFAULT, previous).anomalies())
        .noneMatch(x -> x.kind().equals("type_mismatch"));
  }

  @Test
  void onlyKindsInFailOnFail() {
    Frame raw = frame("age,y", "-1,0", "30,1");
    Map<String, SchemaSpec.ColumnSchema> cols =
        Map.of(
            "age", new SchemaSpec.ColumnSchema(LogicalType.INTEGER, 0.0, null, true, null, true));
    QualitySpec warnOnly = new QualitySpec(null, EnumSet.of(AnomalyKind.MISSING_COLUMN), 0.5, 0.2);
    ValidationReport report = validate(raw, new SchemaSpec(cols, true), warnOnly);
    assertThat(only(report, AnomalyKind.OUT_OF_RANGE).failsGate()).isFalse();
    assertThat(report.passed()).isTrue();
    assertThat(report.failOn()).containsExactly("missing_column");
    assertThat(Curation.curate(raw, "y").frame().rowCount()).isEqualTo(2);
  }
}
