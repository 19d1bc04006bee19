package dev.flywheel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic loan-default data set with a known signal: numeric and categorical features, some
 * missing values, and a binary label {@code default} whose log-odds depend on the features. The
 * same seed gives the same rows. {@code drift} shifts the feature distribution and changes the
 * relation between features and label, for monitoring and retraining tests.
 */
public final class LoanData {

  /** The columns, in file order. */
  public static final List<String> COLUMNS =
      List.of("income", "debt_ratio", "age", "plan", "region", "default");

  private LoanData() {}

  /**
   * Generates rows as CSV cells (missing is empty text).
   *
   * @param rows how many rows
   * @param seed the random seed
   * @param drift 0 for the training distribution; 1 for fully drifted
   */
  public static List<String[]> rows(int rows, long seed, double drift) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] plans = {"basic", "plus", "pro"};
    String[] regions = {"north", "south", "east", "west"};
    List<String[]> out = new ArrayList<>(rows);
    for (int i = 0; i < rows; i++) {
      double income = Math.exp(10.5 + 0.5 * gaussian(r) - 0.4 * drift);
      double debt = Math.min(1.5, Math.max(0, 0.35 + 0.15 * gaussian(r) + 0.2 * drift));
      int age = (int) Math.max(18, Math.min(90, 42 + 12 * gaussian(r)));
      String plan = plans[r.nextInt(plans.length)];
      String region = regions[r.nextInt(regions.length)];
      double logit =
          -1.0
              + (4.0 - 6.0 * drift) * (debt - 0.35)
              - 0.8 * (Math.log(income) - 10.5)
              - 0.02 * (age - 42)
              + (plan.equals("pro") ? -0.7 : plan.equals("basic") ? 0.4 : 0.0)
              + (region.equals("south") ? 0.3 + drift : 0.0);
      boolean label = r.nextDouble() < 1 / (1 + Math.exp(-logit));
      out.add(
          new String[] {
            r.nextDouble() < 0.05 ? "" : String.format(Locale.ROOT, "%.2f", income),
            String.format(Locale.ROOT, "%.4f", debt),
            Integer.toString(age),
            r.nextDouble() < 0.03 ? "" : plan,
            region,
            label ? "1" : "0"
          });
    }
    return out;
  }

  /** Writes {@link #rows} to a CSV file with a header. */
  public static Path writeCsv(Path file, int rows, long seed, double drift) {
    StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (String[] row : rows(rows, seed, drift)) {
      sb.append(String.join(",", row)).append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static double gaussian(SplittableRandom r) {
    // Box-Muller: SplittableRandom has no nextGaussian before Java 17's RandomGenerator default.
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
