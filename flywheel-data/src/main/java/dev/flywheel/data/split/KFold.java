package dev.flywheel.data.split;

import dev.flywheel.core.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded k-fold assignment: {@code assign*} returns, for each row, its fold in [0, k). Every row is
 * in exactly one fold, so the folds are disjoint and cover the rows; fold {@code f} is the held-out
 * part of round {@code f}, and the other folds train ({@link #heldOut}, {@link #training}).
 *
 * <ul>
 *   <li>{@link #assign}: a seeded shuffle dealt round-robin; fold sizes differ by at most one.
 *   <li>{@link #assignStratified}: each class shuffled and dealt round-robin, continuing where the
 *       previous class stopped, so each class's count per fold differs by at most one, and so do
 *       the fold sizes.
 *   <li>{@link #assignGrouped}: whole groups, largest first, each to the fold with fewest rows
 *       (ties to the lower fold), groups of equal size in a seeded order, so no group is in two
 *       folds. Rows without a group are groups of one.
 * </ul>
 *
 * <p>The same inputs and seed give the same folds on every JVM ({@link Random} is specified by the
 * JDK). This is the data-layer building block of cross-validation; the caller fits and scores. For
 * a train/validation/test split use {@link Splitter}.
 */
public final class KFold {

  private KFold() {}

  /**
   * Plain k-fold over {@code rows} rows.
   *
   * @throws BadInputException when k is below 2 or above the number of rows
   */
  public static int[] assign(int rows, int k, long seed) {
    check(rows, k, "rows");
    int[] perm = Splitter.permutation(rows, new Random(seed));
    int[] fold = new int[rows];
    for (int j = 0; j < rows; j++) {
      fold[perm[j]] = j % k;
    }
    return fold;
  }

  /**
   * Stratified k-fold: each label's rows are spread evenly over the folds. A null label is a class
   * of its own.
   *
   * @throws BadInputException when k is below 2 or above the number of rows
   */
  public static int[] assignStratified(String[] labels, int k, long seed) {
    check(labels.length, k, "rows");
    Map<String, List<Integer>> byClass = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      byClass
          .computeIfAbsent(labels[i] == null ? "\u0000" : labels[i], c -> new ArrayList<>())
          .add(i);
    }
    Random random = new Random(seed);
    int[] fold = new int[labels.length];
    int next = 0;
    for (List<Integer> rows : byClass.values()) {
      int[] perm = Splitter.permutation(rows.size(), random);
      for (int j : perm) {
        fold[rows.get(j)] = next;
        next = (next + 1) % k;
      }
    }
    return fold;
  }

  /**
   * Group k-fold: rows sharing a group value are always in the same fold. A null group makes the
   * row a group of its own.
   *
   * @throws BadInputException when k is below 2 or above the number of groups
   */
  public static int[] assignGrouped(String[] groups, int k, long seed) {
    Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
    for (int i = 0; i < groups.length; i++) {
      // A leading NUL cannot start a real value read from data, so no group collides with these.
      String g = groups[i] == null ? "\u0000" + i : groups[i];
      byGroup.computeIfAbsent(g, x -> new ArrayList<>()).add(i);
    }
    check(byGroup.size(), k, "groups");
    List<List<Integer>> members = new ArrayList<>(byGroup.values());
    // Seeded order first, then a stable sort by size: equal-sized groups stay in seeded order.
    int[] perm = Splitter.permutation(members.size(), new Random(seed));
    List<List<Integer>> ordered = new ArrayList<>(members.size());
    for (int j : perm) {
      ordered.add(members.get(j));
    }
    ordered.sort(Comparator.comparingInt((List<Integer> g) -> g.size()).reversed());
    int[] size = new int[k];
    int[] fold = new int[groups.length];
    for (List<Integer> group : ordered) {
      int smallest = 0;
      for (int f = 1; f < k; f++) {
        if (size[f] < size[smallest]) {
          smallest = f;
        }
      }
      for (int row : group) {
        fold[row] = smallest;
      }
      size[smallest] += group.size();
    }
    return fold;
  }

  /** The rows in fold {@code f}, ascending: the held-out rows of round {@code f}. */
  public static int[] heldOut(int[] assignment, int f) {
    return Arrays.stream(indices(assignment.length)).filter(i -> assignment[i] == f).toArray();
  }

  /** The rows outside fold {@code f}, ascending: the training rows of round {@code f}. */
  public static int[] training(int[] assignment, int f) {
    return Arrays.stream(indices(assignment.length)).filter(i -> assignment[i] != f).toArray();
  }

  private static int[] indices(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  private static void check(int count, int k, String what) {
    if (k < 2 || k > count) {
      throw new BadInputException(
          "split.folds: "
              + k
              + " folds over "
              + count
              + " "
              + what
              + " is not possible; k must be at least 2 and at most the number of "
              + what
              + ". Lower split.folds, or add data.");
    }
  }
}
