package dev.flywheel.core.text;

import java.util.Collection;
import java.util.Comparator;

/**
 * The "did you mean" hint of Flywheel's error messages: the known name nearest to a misspelt one,
 * when it is within two edits (Levenshtein distance). Use it wherever a message lists what is
 * allowed, so every command suggests the same way.
 */
public final class DidYouMean {

  /** The most edits a hint may be away from what was given. */
  public static final int MAX_EDITS = 2;

  private DidYouMean() {}

  /**
   * {@code " (did you mean 'k'?)"} for the nearest known name within {@link #MAX_EDITS} edits (the
   * first in iteration order on a tie), or the empty string.
   */
  public static String hint(String given, Collection<String> known) {
    return known.stream()
        .filter(k -> distance(given, k) <= MAX_EDITS)
        .min(Comparator.comparingInt(k -> distance(given, k)))
        .map(k -> " (did you mean '" + k + "'?)")
        .orElse("");
  }

  /** The Levenshtein distance: insertions, deletions and substitutions, each costing one. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
