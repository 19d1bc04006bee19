package dev.flywheel.cli.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The demo's world: loan applications and whether they defaulted. Numeric and categorical features,
 * a few missing values, and a known truth. {@code drifted} applications come from the world after a
 * change in the market: a new sales channel (the app) brings younger applicants with lower incomes
 * and more debt (the feature distribution moves), and among them debt no longer predicts default
 * the way it did (the relation to the label changes).
 */
public final class DemoData {

  /** The feature columns, in order, then the label column. */
  public static final List<String> FEATURES =
      List.of("income", "debt_ratio", "age", "plan", "region", "channel");

  public static final String LABEL = "default";

  private static final String[] PLANS = {"basic", "plus", "pro"};
  private static final String[] REGIONS = {"north", "south", "east", "west"};

  private DemoData() {}

  /**
   * One application and its true outcome.
   *
   * @param features feature values by name ({@code Double}, {@code String} or null)
   * @param label {@code "1"} if the loan defaulted, else {@code "0"}
   */
  public record Application(Map<String, Object> features, String label) {}

  /** {@code n} applications from the world before ({@code drifted} false) or after the change. */
  public static List<Application> applications(int n, long seed, boolean drifted) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Application> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(drifted ? after(r) : before(r));
    }
    return out;
  }

  private static Application before(SplittableRandom r) {
    double income = Math.exp(10.6 + 0.45 * gaussian(r));
    double debt = clamp(0.32 + 0.14 * gaussian(r), 0, 1.2);
    int age = (int) clamp(45 + 12 * gaussian(r), 18, 90);
    String plan = PLANS[r.nextInt(3)];
    String region = REGIONS[r.nextInt(4)];
    String channel = r.nextDouble() < 0.6 ? "branch" : "web";
    double logit =
        -0.5
            + 12.0 * (debt - 0.32)
            - 2.5 * (Math.log(income) - 10.6)
            - 0.05 * (age - 45)
            + (plan.equals("pro") ? -1.0 : plan.equals("basic") ? 0.7 : 0.0)
            + (region.equals("south") ? 0.5 : 0.0);
    return application(r, income, debt, age, plan, region, channel, logit);
  }

  private static Application after(SplittableRandom r) {
    boolean app = r.nextDouble() < 0.75;
    double income = Math.exp((app ? 10.0 : 10.5) + 0.45 * gaussian(r));
    double debt = clamp((app ? 0.55 : 0.35) + 0.15 * gaussian(r), 0, 1.2);
    int age = (int) clamp((app ? 28 : 44) + (app ? 6 : 12) * gaussian(r), 18, 90);
    String plan = PLANS[r.nextInt(3)];
    String region = REGIONS[r.nextInt(4)];
    String channel = app ? "app" : (r.nextDouble() < 0.5 ? "branch" : "web");
    // App customers with high debt are often on instalment plans that rarely default; the risk
    // among them comes from income and age instead.
    double logit =
        app
            ? 0.2 - 10.0 * (debt - 0.55) - 3.0 * (Math.log(income) - 10.0) - 0.12 * (age - 28)
            : -0.5
                + 12.0 * (debt - 0.32)
                - 2.5 * (Math.log(income) - 10.6)
                - 0.05 * (age - 45)
                + (plan.equals("pro") ? -1.0 : plan.equals("basic") ? 0.7 : 0.0);
    return application(r, income, debt, age, plan, region, channel, logit);
  }

  private static Application application(
      SplittableRandom r,
      double income,
      double debt,
      int age,
      String plan,
      String region,
      String channel,
      double logit) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("income", r.nextDouble() < 0.04 ? null : Math.round(income * 100) / 100.0);
    f.put("debt_ratio", Math.round(debt * 10_000) / 10_000.0);
    f.put("age", (double) age);
    f.put("plan", r.nextDouble() < 0.03 ? null : plan);
    f.put("region", region);
    f.put("channel", channel);
    boolean defaulted = r.nextDouble() < 1 / (1 + Math.exp(-logit));
    return new Application(f, defaulted ? "1" : "0");
  }

  /** The applications as CSV text with a header, missing values as empty cells. */
  public static String csv(List<Application> applications) {
    StringBuilder sb =
        new StringBuilder(String.join(",", FEATURES)).append(',').append(LABEL).append('\n');
    for (Application a : applications) {
      for (String name : FEATURES) {
        Object v = a.features().get(name);
        if (v instanceof Double d) {
          sb.append(
              d == Math.rint(d)
                  ? Long.toString(d.longValue())
                  : String.format(Locale.ROOT, "%s", d));
        } else if (v != null) {
          sb.append(v);
        }
        sb.append(',');
      }
      sb.append(a.label()).append('\n');
    }
    return sb.toString();
  }

  private static double clamp(double v, double lo, double hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
