package dev.flywheel.data.collect;

import dev.flywheel.core.frame.Frame;
import java.nio.file.Path;

/**
 * What a source gave.
 *
 * @param frame the rows read
 * @param badRows rows left out under {@code bad_rows: skip} or {@code quarantine}
 * @param quarantine the file the bad rows were written to, or null
 */
public record Collected(Frame frame, long badRows, Path quarantine) {}
