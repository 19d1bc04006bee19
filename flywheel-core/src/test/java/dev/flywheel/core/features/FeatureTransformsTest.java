package dev.flywheel.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Json;
import dev.flywheel.core.features.InputFeature.Encoding;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every fitted transform applied by {@link FeaturePipeline}, against values computed by hand, and
 * the property that the batch path and the per-row path agree bit for bit on random rows.
 */
class FeatureTransformsTest {

  static final FeaturePipeline PIPELINE =
      new FeaturePipeline(
          List.of(
              // Impute 40, indicator, clip to [18, 90], standardise with mean 45 and sd 15.
              new InputFeature.Numeric(
                  "age",
                  40.0,
                  true,
                  List.of(new NumericStep.Clip(18, 90), new NumericStep.Scale("standard", 45, 15))),
              // Bins (-inf, 20k) [20k, 50k) [50k, 100k) [100k, inf).
              new InputFeature.Numeric(
                  "income",
                  50_000,
                  false,
                  List.of(new NumericStep.Bin(List.of(20_000.0, 50_000.0, 100_000.0)))),
              new InputFeature.Numeric("household", 1.0),
              new InputFeature.Categorical(
                  "plan", "basic", List.of("basic", "pro"), true, Encoding.ONE_HOT, true, null),
              new InputFeature.Categorical(
                  "size", "S", List.of("S", "M", "L"), false, Encoding.ORDINAL, false, null),
              new InputFeature.Categorical(
                  "city",
                  "a",
                  List.of("a", "b"),
                  false,
                  Encoding.FREQUENCY,
                  false,
                  List.of(0.75, 0.25)),
              new InputFeature.Date(
                  "signup",
                  List.of(DatePart.YEAR, DatePart.MONTH, DatePart.DAY_OF_WEEK, DatePart.HOUR),
                  List.of(2024.0, 6.0, 3.0, 0.0),
                  true),
              // Robust scaling of the ratio: median 20k, IQR 10k.
              new InputFeature.Derived(
                  "per_head",
                  "income / max(household, 1)",
                  25_000,
                  true,
                  List.of(new NumericStep.Scale("robust", 20_000, 10_000))),
              new InputFeature.Derived(
                  "rich_pro", "per_head > 40000 and plan == 'pro'", 0, false, List.of())));

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void namesEveryOutputInVectorOrder() {
    assertThat(PIPELINE.outputNames())
        .containsExactly(
            "age",
            "age=(missing)",
            "income",
            "household",
            "plan=basic",
            "plan=pro",
            "plan=(other)",
            "plan=(missing)",
            "size",
            "city",
            "signup.year",
            "signup.month",
            "signup.day_of_week",
            "signup.hour",
            "signup=(missing)",
            "per_head",
            "per_head=(missing)",
            "rich_pro");
    assertThat(PIPELINE.columns())
        .extracting(InputFeature::name)
        .containsExactly("age", "income", "household", "plan", "size", "city", "signup");
    assertThat(PIPELINE.formatVersion()).isEqualTo(2);
  }

  @Test
  void transformsAFullRowAsComputedByHand() {
    double[] v =
        PIPELINE.transform(
            row(
                "age",
                60,
                "income",
                90_000.0,
                "household",
                2,
                "plan",
                "pro",
                "size",
                "L",
                "city",
                "b",
                "signup",
                "2026-11-26T10:05:00"));

    assertThat(v)
        .containsExactly(
            1.0, // (60 - 45) / 15
            0, // age present
            2, // 90k in [50k, 100k)
            2, // household
            0, 1, 0, 0, // plan=pro, no other, not missing
            2, // L is third in the fitted order
            0.25, // share of b
            2026, 11, 4, 10, // 2026-11-26 is a Thursday
            0, // signup present
            2.5, // 90k / 2 = 45k; (45k - 20k) / 10k
            0, // per_head present
            1); // 45k > 40k and pro
  }

  @Test
  void imputesEveryMissingValueAndRaisesItsIndicator() {
    double[] v = PIPELINE.transform(row());

    assertThat(v)
        .containsExactly(
            -1.0 / 3.0, // fill 40: (40 - 45) / 15
            1, // age missing
            2, // fill 50k sits in [50k, 100k)
            1, // household fill
            1,
            0,
            0,
            1, // fill basic; plan missing
            0, // fill S
            0.75, // fill a
            2024,
            6,
            3,
            0, // part fills
            1, // signup missing
            0.5, // raw income missing → per_head missing → fill 25k: (25k - 20k) / 10k
            1, // per_head missing
            0); // missing and missing is missing → fill 0
  }

  @Test
  void derivedFeaturesReadRawValuesSoAMissingInputMakesThemMissing() {
    // income missing → per_head missing → imputed with its own fill 25k → (25k - 20k) / 10k.
    double[] v = PIPELINE.transform(row("household", 4.0, "plan", "pro"));
    int perHead = PIPELINE.outputNames().indexOf("per_head");

    assertThat(v[perHead]).isEqualTo(0.5);
    assertThat(v[perHead + 1]).as("per_head=(missing)").isEqualTo(1.0);
    assertThat(v[perHead + 2]).as("rich_pro reads per_head's raw (missing) value").isEqualTo(0.0);
  }

  @Test
  void clipsToTheFittedBoundsBeforeScaling() {
    int age = 0;
    assertThat(PIPELINE.transform(row("age", 5))[age]).isEqualTo((18 - 45) / 15.0);
    assertThat(PIPELINE.transform(row("age", 1e300))[age]).isEqualTo((90 - 45) / 15.0);
    assertThat(PIPELINE.transform(row("age", Double.NEGATIVE_INFINITY))[age])
        .isEqualTo((18 - 45) / 15.0);
  }

  @Test
  void binsAtTheEdgesWithEachEdgeStartingItsBin() {
    int income = PIPELINE.outputNames().indexOf("income");
    assertThat(PIPELINE.transform(row("income", -5))[income]).isEqualTo(0);
    assertThat(PIPELINE.transform(row("income", 19_999.99))[income]).isEqualTo(0);
    assertThat(PIPELINE.transform(row("income", 20_000))[income]).isEqualTo(1);
    assertThat(PIPELINE.transform(row("income", 99_999))[income]).isEqualTo(2);
    assertThat(PIPELINE.transform(row("income", 1e12))[income]).isEqualTo(3);
  }

  @Test
  void encodesUnseenCategoriesInTheOtherBucketAsMinusOneOrAsZeroShare() {
    double[] v = PIPELINE.transform(row("plan", "enterprise", "size", "XL", "city", "zz"));
    List<String> names = PIPELINE.outputNames();

    assertThat(v[names.indexOf("plan=basic")]).isZero();
    assertThat(v[names.indexOf("plan=pro")]).isZero();
    assertThat(v[names.indexOf("plan=(other)")]).isEqualTo(1);
    assertThat(v[names.indexOf("plan=(missing)")]).isZero();
    assertThat(v[names.indexOf("size")]).isEqualTo(-1);
    assertThat(v[names.indexOf("city")]).isZero();
  }

  @Test
  void takesDatePartsFromDatesLocalTimesAndOffsetTimesInUtc() {
    int year = PIPELINE.outputNames().indexOf("signup.year");
    assertThat(slice(PIPELINE.transform(row("signup", "2024-02-29")), year, 5))
        .containsExactly(2024, 2, 4, 0, 0);
    assertThat(slice(PIPELINE.transform(row("signup", "2025-12-31 23:59:59.5")), year, 5))
        .containsExactly(2025, 12, 3, 23, 0);
    // 2025-12-31T23:30-02:00 is 2026-01-01T01:30Z, a Thursday.
    assertThat(slice(PIPELINE.transform(row("signup", "2025-12-31T23:30-02:00")), year, 5))
        .containsExactly(2026, 1, 4, 1, 0);
    assertThat(slice(PIPELINE.transform(row("signup", "2026-03-01T00:00:00Z")), year, 5))
        .containsExactly(2026, 3, 7, 0, 0);
    assertThat(slice(PIPELINE.transform(row("signup", "yesterday")), year, 5))
        .as("text that is no ISO date counts as missing")
        .containsExactly(2024, 6, 3, 0, 1);
    assertThat(slice(PIPELINE.transform(row("signup", "2026-02-30")), year, 5))
        .as("an impossible date is missing")
        .containsExactly(2024, 6, 3, 0, 1);
  }

  @Test
  void datePartsCoverEveryPart() {
    LocalDateTime t = LocalDateTime.of(2026, 8, 15, 7, 45, 30); // a Saturday
    Map<DatePart, Double> expected =
        Map.of(
            DatePart.YEAR, 2026.0,
            DatePart.QUARTER, 3.0,
            DatePart.MONTH, 8.0,
            DatePart.DAY, 15.0,
            DatePart.DAY_OF_WEEK, 6.0,
            DatePart.DAY_OF_YEAR, 227.0,
            DatePart.IS_WEEKEND, 1.0,
            DatePart.HOUR, 7.0,
            DatePart.MINUTE, 45.0,
            DatePart.SECOND, 30.0);
    for (DatePart p : DatePart.values()) {
      assertThat(p.of(t)).as(p.specName()).isEqualTo(expected.get(p));
      assertThat(DatePart.fromSpecName(p.specName())).contains(p);
    }
    assertThat(DatePart.parse("2026-08-15T07:45:30.123456")).isEqualTo(t.withNano(123_456_000));
    assertThat(DatePart.parse(" 2026-08-15 ")).isEqualTo(t.toLocalDate().atStartOfDay());
    assertThat(DatePart.parse("15/08/2026")).isNull();
    assertThat(DatePart.parse("")).isNull();
  }

  @Test
  void scalesWithEachMethodsCenterAndSpread() {
    assertThat(new NumericStep.Scale("min_max", 10, 40).apply(30)).isEqualTo(0.5);
    assertThat(new NumericStep.Scale("robust", 3, 2).apply(0)).isEqualTo(-1.5);
    assertThatThrownBy(() -> new NumericStep.Scale("standard", 0, 0))
        .hasMessageContaining("positive scale");
    assertThatThrownBy(() -> new NumericStep.Bin(List.of(2.0, 1.0)))
        .hasMessageContaining("increase strictly");
    assertThatThrownBy(() -> new NumericStep.Clip(3, 1)).hasMessageContaining("reversed");
  }

  @Test
  void roundTripsThroughJsonAndKeepsFormatOneFieldsOut() throws Exception {
    TypeReference<List<InputFeature>> type = new TypeReference<>() {};
    String json = Json.mapper().writerFor(type).writeValueAsString(PIPELINE.inputs());

    List<InputFeature> read = Json.mapper().readValue(json, type);

    assertThat(read).isEqualTo(PIPELINE.inputs());
    String plain =
        Json.mapper()
            .writerFor(type)
            .writeValueAsString(
                List.of(
                    new InputFeature.Numeric("x", 1.0),
                    new InputFeature.Categorical("c", "a", List.of("a"))));
    assertThat(plain)
        .doesNotContain("indicator", "steps", "encoding", "other", "shares")
        .contains("\"kind\" : \"numeric\"", "\"kind\" : \"categorical\"");
    assertThat(json).contains("\"encoding\" : \"frequency\"", "\"kind\" : \"clip\"");
  }

  @Test
  void refusesADerivedFeatureThatDoesNotBindToEarlierColumns() {
    assertThatThrownBy(
            () ->
                new FeaturePipeline(
                    List.of(
                        new InputFeature.Derived("d", "x * 2", 0, false, List.of()),
                        new InputFeature.Numeric("x", 0))))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("unknown column 'x'");
  }

  private static double[] slice(double[] v, int from, int n) {
    double[] out = new double[n];
    System.arraycopy(v, from, out, 0, n);
    return out;
  }

  // ---- the property: batch path == per-row path, bit for bit ----

  private static final String[] PLANS = {"basic", "pro", "enterprise", "", "PRO", " basic"};
  private static final String[] SIZES = {"S", "M", "L", "XL", "s"};
  private static final String[] CITIES = {"a", "b", "c", "A"};

  @Test
  void batchAndPerRowPathsGiveBitwiseIdenticalVectorsForRandomRows() {
    SplittableRandom r = new SplittableRandom(20_261_126);
    int checked = 0;
    for (int round = 0; round < 40; round++) {
      int rows = 1 + r.nextInt(250);
      double[] age = new double[rows];
      double[] income = new double[rows];
      double[] household = new double[rows];
      String[] plan = new String[rows];
      String[] size = new String[rows];
      String[] city = new String[rows];
      String[] signup = new String[rows];
      for (int i = 0; i < rows; i++) {
        age[i] = randomNumber(r);
        income[i] = randomNumber(r);
        household[i] = randomNumber(r);
        plan[i] = pick(r, PLANS);
        size[i] = pick(r, SIZES);
        city[i] = pick(r, CITIES);
        signup[i] = randomDate(r);
      }
      List<Column> columns =
          new ArrayList<>(
              List.of(
                  new CategoricalColumn("signup", signup),
                  new NumericColumn("household", household),
                  new CategoricalColumn("city", city),
                  new NumericColumn("income", income),
                  new CategoricalColumn("size", size),
                  new NumericColumn("age", age),
                  new CategoricalColumn("plan", plan),
                  new NumericColumn("unused", income)));
      Frame frame = new Frame(columns);

      double[][] batch = PIPELINE.transform(frame);

      for (int i = 0; i < rows; i++) {
        Map<String, Object> row = new HashMap<>();
        row.put("age", boxed(r, age[i]));
        row.put("income", boxed(r, income[i]));
        row.put("household", boxed(r, household[i]));
        row.put("plan", plan[i]);
        row.put("size", size[i]);
        row.put("city", city[i]);
        row.put("signup", signup[i]);
        row.put("extra", "ignored");
        if (row.get("plan") == null && r.nextBoolean()) {
          row.remove("plan"); // an absent key is missing too
        }
        double[] single = PIPELINE.transform(row);
        assertBitwiseEqual(single, batch[i], "round " + round + " row " + i + " " + row);
        assertBitwiseEqual(
            PIPELINE.transform(frame.row(i)), batch[i], "frame row " + i + " of round " + round);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(2_000);
  }

  private static void assertBitwiseEqual(double[] a, double[] b, String what) {
    assertThat(a).as(what).hasSize(b.length);
    for (int k = 0; k < a.length; k++) {
      if (Double.doubleToRawLongBits(a[k]) != Double.doubleToRawLongBits(b[k])) {
        throw new AssertionError(
            what + ": output " + PIPELINE.outputNames().get(k) + " " + a[k] + " != " + b[k]);
      }
    }
  }

  /** The same number in another box: integers as Integer or Long, now and then; NaN as null. */
  private static Object boxed(SplittableRandom r, double v) {
    if (Double.isNaN(v)) {
      return r.nextBoolean() ? null : Double.NaN;
    }
    // -0.0 has no integer box: (int) -0.0 is 0, a different input, not a different path.
    boolean negativeZero = Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0);
    if (v == Math.rint(v) && Math.abs(v) < 1e9 && !negativeZero && r.nextBoolean()) {
      return r.nextBoolean() ? (Object) (int) v : (Object) (long) v;
    }
    return v;
  }

  private static String pick(SplittableRandom r, String[] pool) {
    return r.nextInt(6) == 0 ? null : pool[r.nextInt(pool.length)];
  }

  static double randomNumber(SplittableRandom r) {
    return switch (r.nextInt(10)) {
      case 0 -> Double.NaN;
      case 1 -> r.nextInt(-100, 100);
      case 2 -> (r.nextDouble() - 0.5) * 1e9;
      case 3 -> r.nextDouble() * 1e-6;
      case 4 -> r.nextBoolean() ? Double.MAX_VALUE : -Double.MAX_VALUE;
      case 5 -> r.nextBoolean() ? Double.MIN_VALUE : -0.0;
      case 6 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case 7 -> 0.0;
      default -> r.nextGaussian() * 50_000;
    };
  }

  static String randomDate(SplittableRandom r) {
    return switch (r.nextInt(8)) {
      case 0 -> null;
      case 1 -> "not a date";
      case 2 -> "";
      case 3 ->
          String.format(
              "%04d-%02d-%02d", 1900 + r.nextInt(200), 1 + r.nextInt(12), 1 + r.nextInt(31));
      case 4 ->
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02dZ",
              1970 + r.nextInt(100),
              1 + r.nextInt(12),
              1 + r.nextInt(28),
              r.nextInt(24),
              r.nextInt(60),
              r.nextInt(60));
      case 5 ->
          String.format(
              "%04d-%02d-%02d %02d:%02d+05:30",
              1970 + r.nextInt(100),
              1 + r.nextInt(12),
              1 + r.nextInt(28),
              r.nextInt(24),
              r.nextInt(60));
      case 6 -> "2026-13-01";
      default ->
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02d.%03d",
              2000 + r.nextInt(30),
              1 + r.nextInt(12),
              1 + r.nextInt(28),
              r.nextInt(24),
              r.nextInt(60),
              r.nextInt(60),
              r.nextInt(1000));
    };
  }
}
