package dev.flywheel.data.collect;

import dev.flywheel.core.frame.Frame;
import java.nio.file.Path;
import java.util.List;

/**
 * What a source gave.
 *
 * @param frame the rows read
 * @param badRows rows left out under {@code bad_rows: skip} or {@code quarantine}
 * @param quarantine the file the bad rows were written to, or null
 * @param unparsed lines of a log source that no row could be parsed from; never in the frame
 * @param unparsedExamples up to {@link #MAX_EXAMPLES} of them, the first ones read
 */
public record Collected(
    Frame frame, long badRows, Path quarantine, long unparsed, List<Unparsed> unparsedExamples) {

  /** How many unparsed lines are kept as examples. */
  public static final int MAX_EXAMPLES = 5;

  public Collected {
    unparsedExamples = List.copyOf(unparsedExamples);
  }

  /** A source with no unparsed lines (every source but logs). */
  public Collected(Frame frame, long badRows, Path quarantine) {
    this(frame, badRows, quarantine, 0, List.of());
  }

  /** One line that did not parse: its file, its 1-based line number there, and its text. */
  public record Unparsed(String file, long line, String text) {}
}
