package dev.flywheel.data.collect;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.spec.SourceSpec;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Applies a source's bad-row policy. {@code fail} throws at the first bad row; {@code skip} counts;
 * {@code quarantine} counts and writes each row as one JSON line {@code {"file", "line", "error",
 * "raw"}} to a temp file, renamed into place by {@link #finish()} so no half-written file is left.
 */
final class BadRowSink implements AutoCloseable {

  private final SourceSpec.BadRows policy;
  private final Path quarantine;
  private Path temp;
  private Writer writer;
  private long count;

  BadRowSink(SourceSpec.BadRows policy, Path quarantine) {
    this.policy = policy;
    this.quarantine = quarantine;
    if (policy == SourceSpec.BadRows.QUARANTINE && quarantine == null) {
      throw new IllegalArgumentException("quarantine needs a file");
    }
  }

  static BadRowSink failing() {
    return new BadRowSink(SourceSpec.BadRows.FAIL, null);
  }

  /**
   * A bad row.
   *
   * @param problem what is wrong and how to fix it, without the location
   * @param raw the row's text as read (for CSV, its fields joined again)
   */
  void reject(Path file, long line, String problem, String raw) {
    reject(file, line, problem, raw, file.toString());
  }

  private void reject(Path file, long line, String problem, String raw, String where) {
    if (policy == SourceSpec.BadRows.FAIL) {
      throw new BadInputException(
          where
              + ":"
              + line
              + ": "
              + problem
              + " (bad_rows: skip or quarantine would leave such rows out; see docs/spec.md)");
    }
    count++;
    if (policy == SourceSpec.BadRows.QUARANTINE) {
      try {
        if (writer == null) {
          Files.createDirectories(quarantine.getParent());
          temp = Files.createTempFile(quarantine.getParent(), ".quarantine", ".tmp");
          writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
        }
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("file", where);
        o.put("line", line);
        o.put("error", problem);
        o.put("raw", raw);
        writer.write(o.toString());
        writer.write('\n');
      } catch (IOException e) {
        throw new InfrastructureException(
            "writing quarantined rows to " + quarantine + " failed: " + e.getMessage(), e);
      }
    }
  }

  /**
   * A bad row from a source that has no file, such as an HTTP API: {@code where} names the source
   * and the record (in the quarantine file it is the {@code file}, and {@code record} the line).
   */
  void reject(String where, long record, String problem, String raw) {
    reject(java.nio.file.Path.of("."), record, problem, raw, where);
  }

  long count() {
    return count;
  }

  /** The quarantine file when rows were written to it, else null. */
  Path quarantined() {
    return policy == SourceSpec.BadRows.QUARANTINE && count > 0 ? quarantine : null;
  }

  /**
   * Moves the quarantined rows into place. With none, an earlier run's file is removed, so the file
   * always holds the last read's bad rows.
   */
  void finish() {
    if (policy != SourceSpec.BadRows.QUARANTINE) {
      return;
    }
    try {
      if (writer == null) {
        Files.deleteIfExists(quarantine);
        return;
      }
      writer.close();
      writer = null;
      Files.move(
          temp, quarantine, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      temp = null;
    } catch (IOException e) {
      throw new InfrastructureException(
          "writing quarantined rows to " + quarantine + " failed: " + e.getMessage(), e);
    }
  }

  /** Drops an unfinished temp file. */
  @Override
  public void close() {
    try {
      if (writer != null) {
        writer.close();
      }
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      // Best effort: the temp file is hidden and the next run replaces the quarantine file.
    }
  }
}
