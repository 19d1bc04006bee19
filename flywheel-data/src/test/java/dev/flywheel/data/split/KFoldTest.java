package dev.flywheel.data.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KFoldTest {

  /** Folds are disjoint and their union is every row, each fold's rows ascending. */
  private static void assertDisjointCover(int[] fold, int k) {
    int n = fold.length;
    Set<Integer> seen = new HashSet<>();
    for (int f = 0; f < k; f++) {
      int[] held = KFold.heldOut(fold, f);
      int[] train = KFold.training(fold, f);
      assertThat(held.length + train.length).isEqualTo(n);
      assertThat(held).isSorted();
      for (int i : held) {
        assertThat(seen.add(i)).as("row %d is in two folds", i).isTrue();
      }
      Set<Integer> heldSet = new HashSet<>();
      Arrays.stream(held).forEach(heldSet::add);
      assertThat(Arrays.stream(train).noneMatch(heldSet::contains)).isTrue();
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(IntStream.range(0, n).boxed().toList());
  }

  private static int[] sizes(int[] fold, int k) {
    int[] size = new int[k];
    for (int f : fold) {
      size[f]++;
    }
    return size;
  }

  @Test
  void foldsAreDisjointCoverEveryRowAndDifferInSizeByAtMostOne() {
    for (int n = 2; n <= 60; n += 7) {
      for (int k = 2; k <= Math.min(n, 10); k++) {
        int[] fold = KFold.assign(n, k, n * 31L + k);
        assertDisjointCover(fold, k);
        int[] size = sizes(fold, k);
        assertThat(
                Arrays.stream(size).max().orElseThrow() - Arrays.stream(size).min().orElseThrow())
            .isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void sameSeedSameFoldsAndOtherSeedsDiffer() {
    assertThat(KFold.assign(500, 5, 42)).containsExactly(KFold.assign(500, 5, 42));
    assertThat(KFold.assign(500, 5, 42)).isNotEqualTo(KFold.assign(500, 5, 43));
  }

  @Test
  void stratifiedFoldsHoldEachClassWithinOneRowOfAnEvenShare() {
    Random r = new Random(1);
    for (int trial = 0; trial < 10; trial++) {
      int n = 100 + r.nextInt(400);
      String[] labels = new String[n];
      for (int i = 0; i < n; i++) {
        int u = r.nextInt(100);
        labels[i] = u < 80 ? "no" : u < 97 ? "yes" : u < 99 ? "maybe" : null;
      }
      int k = 2 + r.nextInt(6);
      int[] fold = KFold.assignStratified(labels, k, trial);
      assertDisjointCover(fold, k);
      Map<String, int[]> perClass = new HashMap<>();
      for (int i = 0; i < n; i++) {
        perClass.computeIfAbsent(String.valueOf(labels[i]), c -> new int[k])[fold[i]]++;
      }
      for (int[] counts : perClass.values()) {
        assertThat(
                Arrays.stream(counts).max().orElseThrow()
                    - Arrays.stream(counts).min().orElseThrow())
            .isLessThanOrEqualTo(1);
      }
      int[] size = sizes(fold, k);
      assertThat(Arrays.stream(size).max().orElseThrow() - Arrays.stream(size).min().orElseThrow())
          .isLessThanOrEqualTo(1);
    }
  }

  @Test
  void groupedFoldsNeverSplitAGroup() {
    Random r = new Random(2);
    for (int trial = 0; trial < 10; trial++) {
      int n = 200 + r.nextInt(300);
      String[] groups = new String[n];
      for (int i = 0; i < n; i++) {
        groups[i] = r.nextInt(20) == 0 ? null : "g" + r.nextInt(30);
      }
      int k = 2 + r.nextInt(5);
      int[] fold = KFold.assignGrouped(groups, k, trial);
      assertDisjointCover(fold, k);
      Map<String, Integer> foldOf = new HashMap<>();
      for (int i = 0; i < n; i++) {
        if (groups[i] != null) {
          Integer before = foldOf.putIfAbsent(groups[i], fold[i]);
          assertThat(before == null || before == fold[i]).isTrue();
        }
      }
    }
  }

  @Test
  void groupedFoldsPlaceTheLargestGroupsFirstOnTheLightestFold() {
    // Groups a:4, b:3, c:2, d:1 into 2 folds: a → 0 (4), b → 1 (3), c → 1 (5), d → 0 (5).
    String[] groups = {"a", "b", "c", "a", "b", "d", "a", "c", "b", "a"};
    int[] fold = KFold.assignGrouped(groups, 2, 99);
    assertThat(fold).containsExactly(0, 1, 1, 0, 1, 0, 0, 1, 1, 0);
  }

  @Test
  void rejectsTooFewOrTooManyFolds() {
    assertThatThrownBy(() -> KFold.assign(10, 1, 1))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("split.folds: 1 folds over 10 rows")
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> KFold.assign(4, 5, 1))
        .hasMessageContaining("5 folds over 4 rows")
        .hasMessageContaining("at most the number of rows");
    assertThatThrownBy(() -> KFold.assignStratified(new String[] {"a", "b"}, 3, 1))
        .hasMessageContaining("3 folds over 2 rows");
    assertThatThrownBy(() -> KFold.assignGrouped(new String[] {"a", "a", "b"}, 3, 1))
        .hasMessageContaining("3 folds over 2 groups");
  }
}
