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
 * @param increments one entry per incremental source read, in spec order; empty when none is
 */
public record Collected(
    Frame frame,
    long badRows,
    Path quarantine,
    long unparsed,
    List<Unparsed> unparsedExamples,
    List<Increment> increments) {

  /** How many unparsed lines are kept as examples. */
  public static final int MAX_EXAMPLES = 5;

  public Collected {
    unparsedExamples = List.copyOf(unparsedExamples);
    increments = List.copyOf(increments);
  }

  /** A source that is not incremental. */
  public Collected(
      Frame frame, long badRows, Path quarantine, long unparsed, List<Unparsed> unparsedExamples) {
    this(frame, badRows, quarantine, unparsed, unparsedExamples, List.of());
  }

  /** A source with no unparsed lines (every source but logs). */
  public Collected(Frame frame, long badRows, Path quarantine) {
    this(frame, badRows, quarantine, 0, List.of());
  }

  /** The rows that incremental sources appended to their snapshots in this run. */
  public long newRows() {
    return increments.stream().mapToLong(Increment::newRows).sum();
  }

  /** One line that did not parse: its file, its 1-based line number there, and its text. */
  public record Unparsed(String file, long line, String text) {}

  /**
   * What one incremental source did in this run.
   *
   * @param source the source as people read it
   * @param watermark the watermark column
   * @param previous the watermark before this run, or null on the first run
   * @param current the watermark after this run (equal to previous when nothing was new), or null
   *     when no row has ever had one
   * @param newRows rows above the previous watermark, appended to the snapshot
   * @param snapshotRows rows in the snapshot after this run: what training reads
   * @param nullWatermark rows read without a watermark value, left out (docs/spec.md)
   */
  public record Increment(
      String source,
      String watermark,
      String previous,
      String current,
      long newRows,
      long snapshotRows,
      long nullWatermark) {}
}
