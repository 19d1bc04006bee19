package dev.flywheel.data.split;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SplitSpec;
import dev.flywheel.data.split.HashSplitter.Part;
import dev.flywheel.data.split.HashSplitter.Splits;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Splits curated rows into train, validation and test by the spec's {@code split.method}
 * (docs/spec.md, {@code split}):
 *
 * <ul>
 *   <li>{@code hash}: {@link HashSplitter}; a row keeps its split as the data grows.
 *   <li>{@code random}: a seeded shuffle cut at exact counts; with {@code stratify} and a class
 *       target, the cut is made per class, as {@code stratified}.
 *   <li>{@code stratified}: per class, a seeded shuffle cut at round(n·test) test rows and
 *       round(n·validation) validation rows, so every class's shares are within one row of exact.
 *   <li>{@code time}: rows sorted by the timestamp column; the oldest are train, then validation,
 *       the newest test. Rows sharing the timestamp at a boundary all go to the later split, so
 *       every train time is before every validation time, and every validation time before every
 *       test time.
 *   <li>{@code group}: {@link HashSplitter}'s unit hash of the group column's value, so a group is
 *       never in two splits and keeps its split as the data grows. Rows without a group value are
 *       split by their own row hash.
 * </ul>
 *
 * <p>Shuffles use {@link Random} with the spec's seed, whose algorithm the JDK specifies, so the
 * same rows in the same order give the same split on every JVM. {@code random}, {@code stratified}
 * and {@code time} depend on the whole data set: adding rows can move others, so a later gate
 * cannot replay them ({@link #replayable}). Use {@code hash} or {@code group} when that matters.
 */
public final class Splitter {

  private Splitter() {}

  /**
   * The three parts, as ascending row indices into {@code frame}.
   *
   * @param target the target column, whose classes {@code stratified} (and {@code random} with
   *     {@code stratify}) keeps in proportion; it may be null for other methods
   * @throws BadInputException when the split's column is absent or unusable
   */
  public static Splits split(Frame frame, SplitSpec spec, String target) {
    Part[] parts =
        switch (spec.method()) {
          case "hash" -> null;
          case "random" ->
              spec.stratify() && classColumn(frame, target) != null
                  ? stratified(labels(frame, target, spec), spec)
                  : random(frame.rowCount(), spec);
          case "stratified" -> stratified(labels(frame, target, spec), spec);
          case "time" -> time(timestamps(frame, spec), spec);
          case "group" -> group(frame, spec);
          default ->
              throw new IllegalArgumentException(
                  "split method '" + spec.method() + "' is not one of " + SplitSpec.METHODS);
        };
    return parts == null ? HashSplitter.split(frame, spec) : toSplits(parts);
  }

  /**
   * Whether a row's split can be told from the row alone, so that a later run can find which rows a
   * model trained on: true for {@code hash} and {@code group}.
   */
  public static boolean replayable(SplitSpec spec) {
    return spec.method().equals("hash") || spec.method().equals("group");
  }

  /**
   * The split row {@code i} of {@code frame} had, for a {@link #replayable} spec.
   *
   * @throws IllegalArgumentException for a method that cannot be replayed
   */
  public static Part replay(Frame frame, int i, SplitSpec spec) {
    return switch (spec.method()) {
      case "hash" -> HashSplitter.assign(frame.canonicalRow(i), spec);
      case "group" -> groupPart(frame.find(spec.column()).orElse(null), frame, i, spec);
      default ->
          throw new IllegalArgumentException(
              "split method '" + spec.method() + "' depends on the whole data set");
    };
  }

  /**
   * The k-fold assignment of {@code frame}'s rows for {@code split.folds} ({@link KFold}): grouped
   * by the group column under {@code method: group}, stratified by the target when {@code stratify}
   * holds (or the method is {@code stratified}) and the target holds classes, plain otherwise.
   *
   * @param frame the rows to cross-validate: train and validation, never test
   * @throws BadInputException when {@code spec.folds()} is below 2 or above the rows (or groups)
   */
  public static int[] folds(Frame frame, SplitSpec spec, String target) {
    int k = spec.folds();
    if (spec.method().equals("group")) {
      Column column = column(frame, spec);
      String[] groups = new String[frame.rowCount()];
      for (int i = 0; i < groups.length; i++) {
        groups[i] = column.isMissing(i) ? null : column.canonical(i);
      }
      return KFold.assignGrouped(groups, k, spec.seed());
    }
    CategoricalColumn classes = classColumn(frame, target);
    if (classes != null && (spec.stratify() || spec.method().equals("stratified"))) {
      return KFold.assignStratified(classes.values(), k, spec.seed());
    }
    return KFold.assign(frame.rowCount(), k, spec.seed());
  }

  // ---- random and stratified

  /** The first round(n·test) rows of a seeded permutation are test, the next validation. */
  private static Part[] random(int n, SplitSpec spec) {
    int[] perm = permutation(n, new Random(spec.seed()));
    Part[] out = new Part[n];
    cut(perm, spec, out);
    return out;
  }

  private static Part[] stratified(String[] labels, SplitSpec spec) {
    // Classes in text order, each with its rows in frame order, so the result depends only on
    // the rows and the seed.
    Map<String, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
    }
    Random random = new Random(spec.seed());
    Part[] out = new Part[labels.length];
    for (List<Integer> rows : byClass.values()) {
      int[] perm = permutation(rows.size(), random);
      int[] members = new int[rows.size()];
      for (int j = 0; j < members.length; j++) {
        members[j] = rows.get(perm[j]);
      }
      cut(members, spec, out);
    }
    return out;
  }

  /** Assigns {@code rows} (already shuffled) by exact counts: test first, then validation. */
  private static void cut(int[] rows, SplitSpec spec, Part[] out) {
    int test = (int) Math.round(rows.length * spec.test());
    int validation = (int) Math.round(rows.length * spec.validation());
    validation = Math.min(validation, rows.length - test);
    for (int j = 0; j < rows.length; j++) {
      out[rows[j]] = j < test ? Part.TEST : j < test + validation ? Part.VALIDATION : Part.TRAIN;
    }
  }

  /** A Fisher–Yates permutation of 0..n-1. */
  static int[] permutation(int n, Random random) {
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }

  private static CategoricalColumn classColumn(Frame frame, String target) {
    if (target == null) {
      return null;
    }
    return frame.find(target).orElse(null) instanceof CategoricalColumn c ? c : null;
  }

  /** The target's labels, a missing label being a class of its own. */
  private static String[] labels(Frame frame, String target, SplitSpec spec) {
    CategoricalColumn c = classColumn(frame, target);
    if (c == null) {
      throw new BadInputException(
          "split.method: "
              + spec.method()
              + " keeps class shares, but the target '"
              + target
              + "' is not a column of classes. Use method: hash or random, or a classification"
              + " task.");
    }
    String[] out = new String[c.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = c.isMissing(i) ? "\u0000" : c.get(i);
    }
    return out;
  }

  // ---- time

  /** Sorted by time; the boundary rows' timestamps decide, so ties go to the later split. */
  private static Part[] time(Comparable<?>[] keys, SplitSpec spec) {
    int n = keys.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    @SuppressWarnings("unchecked")
    Comparator<Integer> byTime = (a, b) -> ((Comparable<Object>) keys[a]).compareTo(keys[b]);
    Arrays.sort(order, byTime);
    int test = (int) Math.round(n * spec.test());
    int validation = Math.min((int) Math.round(n * spec.validation()), n - test);
    int trainEnd = n - test - validation;
    int validationEnd = n - test;
    Part[] out = new Part[n];
    for (int j = 0; j < n; j++) {
      out[order[j]] = j >= validationEnd ? Part.TEST : j >= trainEnd ? Part.VALIDATION : Part.TRAIN;
    }
    // Rows tied with the first row of a later split join it: walk each boundary backwards.
    // The test boundary goes first: when it pulls in the whole validation block, the rows tied at
    // the validation boundary then follow the boundary row into test.
    moveTies(order, keys, validationEnd, out);
    moveTies(order, keys, trainEnd, out);
    return out;
  }

  private static void moveTies(Integer[] order, Comparable<?>[] keys, int start, Part[] out) {
    if (start <= 0 || start >= order.length) {
      return;
    }
    Object boundary = keys[order[start]];
    Part to = out[order[start]];
    for (int j = start - 1; j >= 0 && keys[order[j]].equals(boundary); j--) {
      out[order[j]] = to;
    }
  }

  /** Each row's timestamp as a comparable key: numbers as they are, ISO text as an Instant. */
  private static Comparable<?>[] timestamps(Frame frame, SplitSpec spec) {
    Column column = column(frame, spec);
    Comparable<?>[] out = new Comparable<?>[frame.rowCount()];
    int missing = 0;
    int firstMissing = -1;
    for (int i = 0; i < out.length; i++) {
      if (column.isMissing(i)) {
        missing++;
        firstMissing = firstMissing < 0 ? i : firstMissing;
        continue;
      }
      out[i] =
          switch (column) {
            case NumericColumn n -> n.get(i);
            case CategoricalColumn c -> parseTime(c.get(i), i, spec);
          };
    }
    if (missing > 0) {
      throw new BadInputException(
          "split.column: '"
              + spec.column()
              + "' has no value in "
              + missing
              + " row(s) (the first is curated row "
              + (firstMissing + 1)
              + "); a time split needs every row's time. Fill the column, or drop those rows"
              + " before training.");
    }
    return out;
  }

  /**
   * ISO-8601 text as an instant: {@code 2024-05-01T12:00:00Z}, with an offset ({@code +02:00}),
   * without one (read as UTC), or a date alone (its start, UTC).
   */
  static Instant parseTime(String text, int row, SplitSpec spec) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // not with an offset: try the forms without one
    }
    try {
      return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new BadInputException(
          "split.column: '"
              + spec.column()
              + "' holds '"
              + text
              + "' in curated row "
              + (row + 1)
              + ", which is not a time; a time split needs numbers (such as epoch seconds) or"
              + " ISO-8601 text such as 2024-05-01, 2024-05-01T12:00:00 or"
              + " 2024-05-01T12:00:00Z. Fix the column, or choose another split.method.",
          e);
    }
  }

  // ---- group

  private static Part[] group(Frame frame, SplitSpec spec) {
    Column column = column(frame, spec);
    Part[] out = new Part[frame.rowCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = groupPart(column, frame, i, spec);
    }
    return out;
  }

  private static Part groupPart(Column column, Frame frame, int i, SplitSpec spec) {
    if (column == null || column.isMissing(i)) {
      // No group: nothing to keep together, and the row's own hash is as stable.
      return HashSplitter.assign(frame.canonicalRow(i), spec);
    }
    // The group's canonical value, so an id read as the number 7 or the text "7" hashes alike.
    return HashSplitter.assign("group\u001f" + column.canonical(i), spec);
  }

  private static Column column(Frame frame, SplitSpec spec) {
    return frame
        .find(spec.column())
        .orElseThrow(
            () ->
                new BadInputException(
                    "split.column: '"
                        + spec.column()
                        + "' is not a column of the data; the columns are "
                        + String.join(", ", frame.names())
                        + ". Fix split.column in the spec."));
  }

  private static Splits toSplits(Part[] parts) {
    int[] train = new int[parts.length];
    int[] validation = new int[parts.length];
    int[] test = new int[parts.length];
    int a = 0;
    int b = 0;
    int c = 0;
    for (int i = 0; i < parts.length; i++) {
      switch (parts[i]) {
        case TRAIN -> train[a++] = i;
        case VALIDATION -> validation[b++] = i;
        case TEST -> test[c++] = i;
      }
    }
    return new Splits(
        Arrays.copyOf(train, a), Arrays.copyOf(validation, b), Arrays.copyOf(test, c));
  }
}
