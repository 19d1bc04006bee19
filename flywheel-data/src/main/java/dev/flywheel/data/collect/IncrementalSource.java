package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.core.store.SourceWatermark;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects an incremental source (docs/spec.md, "Incremental collection"): reads the rows above the
 * stored watermark, appends them to the stored snapshot, writes the new snapshot under a key of its
 * own, and only then moves the watermark to it, in one compare-and-set.
 *
 * <p>So the committed state is always a whole snapshot with the watermark of its newest row. A
 * failure while the snapshot is written leaves a temporary file at most; a failure after it is
 * written but before the watermark moves leaves an unreferenced file. Either way the watermark
 * still names the old snapshot, and the next run fetches the same new rows again: nothing is lost
 * and nothing is counted twice.
 */
final class IncrementalSource {

  private static final Logger LOG = LoggerFactory.getLogger(IncrementalSource.class);

  private IncrementalSource() {}

  static Collected collect(
      SourceSpec.Incremental spec, Map<String, ColumnType> forced, Snapshots snapshots) {
    String id = spec.identity();
    String where = spec.source().describe();
    String column = spec.watermark();
    SourceWatermark previous = snapshots.metadata().watermark(snapshots.model(), id).orElse(null);
    Frame snapshot = previous == null ? null : readSnapshot(snapshots, previous, where);

    // A column that is text in the snapshot stays text in new rows, whatever they look like, so
    // a code column such as "0042" does not turn numeric in a batch of digits-only values.
    Map<String, ColumnType> types = new HashMap<>(forced);
    if (snapshot != null) {
      for (Column c : snapshot.columns()) {
        if (c instanceof CategoricalColumn) {
          types.putIfAbsent(c.name(), ColumnType.CATEGORICAL);
        }
      }
    }
    boolean pushedDown = spec.source() instanceof SourceSpec.Jdbc && previous != null;
    Collected fresh = readFresh(spec, types, previous);
    Frame batch = fresh.frame();
    Column wm =
        batch
            .find(column)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "incremental.watermark: '"
                            + column
                            + "' is not a column of "
                            + where
                            + "; the columns are "
                            + String.join(", ", batch.names())
                            + ". Name the column that orders the rows (an increasing id or a"
                            + " timestamp)."));
    boolean numeric = wm instanceof NumericColumn;
    if (previous != null && numeric != previous.numeric() && !Combiner.allMissing(wm)) {
      throw new BadInputException(
          "incremental.watermark: '"
              + column
              + "' of "
              + where
              + " held "
              + (previous.numeric() ? "numbers" : "text")
              + " (up to "
              + previous.value()
              + ") in earlier runs but now holds "
              + (numeric ? "numbers" : "text such as '" + firstValue(wm) + "'")
              + ". Keep the column's type, or name another watermark column (which starts a new"
              + " snapshot).");
    }

    int[] keep = new int[batch.rowCount()];
    int kept = 0;
    long nulls = 0;
    String max = previous == null ? null : previous.value();
    double maxNumber = previous != null && numeric ? Double.parseDouble(previous.value()) : 0;
    boolean haveMax = previous != null;
    for (int r = 0; r < batch.rowCount(); r++) {
      if (wm.isMissing(r)) {
        nulls++;
        continue;
      }
      if (numeric) {
        double v = ((NumericColumn) wm).get(r);
        // A JDBC source was filtered by the database already, with its own types and collation.
        if (previous != null && !pushedDown && !(v > Double.parseDouble(previous.value()))) {
          continue;
        }
        if (!haveMax || v > maxNumber) {
          maxNumber = v;
          max = wm.canonical(r);
          haveMax = true;
        }
      } else {
        String v = ((CategoricalColumn) wm).get(r);
        if (previous != null && !pushedDown && v.compareTo(previous.value()) <= 0) {
          continue;
        }
        if (!haveMax || v.compareTo(max) > 0) {
          max = v;
          haveMax = true;
        }
      }
      keep[kept++] = r;
    }
    Frame added = batch.take(Arrays.copyOf(keep, kept));

    Frame result;
    if (kept == 0) {
      result = snapshot != null ? snapshot : added;
    } else {
      result =
          snapshot == null
              ? added
              : Combiner.union(
                  List.of(
                      new Combiner.Part("the stored snapshot of " + where, snapshot),
                      new Combiner.Part("the new rows of " + where, added)));
      String key =
          "datasets/" + snapshots.model() + "/" + id + "/" + snapshots.runId() + ".fwframe.gz";
      snapshots.artifacts().put(key, FrameFile.write(result));
      SourceWatermark next =
          new SourceWatermark(
              snapshots.model(),
              id,
              spec.describe(),
              column,
              max,
              numeric,
              result.rowCount(),
              key,
              snapshots.clock().instant());
      if (!snapshots.metadata().advanceWatermark(previous, next)) {
        deleteQuietly(snapshots, key);
        throw new InfrastructureException(
            "another run moved the watermark of "
                + where
                + " for model '"
                + snapshots.model()
                + "' while this run was collecting; this run kept nothing, so no row is lost or"
                + " doubled. Run again.",
            null);
      }
      if (previous != null && !previous.snapshotKey().equals(key)) {
        deleteQuietly(snapshots, previous.snapshotKey());
      }
    }
    Collected.Increment increment =
        new Collected.Increment(
            where,
            column,
            previous == null ? null : previous.value(),
            max,
            kept,
            result.rowCount(),
            nulls);
    return new Collected(
        result,
        fresh.badRows(),
        fresh.quarantine(),
        fresh.unparsed(),
        fresh.unparsedExamples(),
        List.of(increment));
  }

  private static Frame readSnapshot(Snapshots snapshots, SourceWatermark state, String where) {
    String key = state.snapshotKey();
    Frame frame;
    try {
      frame = FrameFile.read(snapshots.artifacts().get(key), snapshots.artifacts().describe(key));
    } catch (IllegalArgumentException e) {
      throw new InfrastructureException(
          e.getMessage()
              + ". It holds the rows collected so far from "
              + where
              + "; restore it from a backup of the workdir.",
          e);
    }
    if (frame.rowCount() != state.rows()) {
      throw new InfrastructureException(
          "the dataset snapshot "
              + snapshots.artifacts().describe(key)
              + " holds "
              + frame.rowCount()
              + " rows, but the metadata store recorded "
              + state.rows()
              + " for it. Restore the workdir from a backup.",
          null);
    }
    return frame;
  }

  /** Reads the rows that may be new; for JDBC only those, asked of the database. */
  private static Collected readFresh(
      SourceSpec.Incremental spec, Map<String, ColumnType> types, SourceWatermark previous) {
    if (!(spec.source() instanceof SourceSpec.Jdbc jdbc) || previous == null) {
      return Collector.read(spec.source(), types);
    }
    Object bound;
    if (previous.numeric()) {
      double v = Double.parseDouble(previous.value());
      bound = v == Math.rint(v) && Math.abs(v) < 0x1p62 ? (Object) (long) v : (Object) v;
    } else {
      bound = previous.value();
    }
    String base = jdbc.query() != null ? jdbc.query() : JdbcSource.tableQuery(jdbc.table());
    String sql = wrap(base, spec.watermark());
    try {
      return new Collected(
          new JdbcSource(
                  jdbc.url(),
                  sql,
                  new JdbcSource.Credentials(jdbc.userEnv(), jdbc.passwordEnv()),
                  jdbc.fetchSize(),
                  List.of(bound),
                  true)
              .read(types),
          0,
          null);
    } catch (BadInputException e) {
      throw new BadInputException(
          e.getMessage()
              + " (For incremental.watermark the query runs as SELECT * FROM (your query) WHERE "
              + quote(spec.watermark())
              + " > the stored watermark OR it IS NULL: check that '"
              + spec.watermark()
              + "' is a column the query returns.)",
          e);
    }
  }

  /**
   * The user's query as a subquery, filtered on the watermark with one bound parameter. The column
   * name is quoted as an SQL identifier; the value is never put into the text.
   */
  static String wrap(String query, String column) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    String c = quote(column);
    // The newline ends a trailing "-- comment" in the user's query before the parenthesis.
    return "SELECT * FROM (\n"
        + q
        + "\n) flywheel_incremental WHERE "
        + c
        + " > ? OR "
        + c
        + " IS NULL";
  }

  private static String quote(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  private static void deleteQuietly(Snapshots snapshots, String key) {
    try {
      snapshots.artifacts().delete(key);
    } catch (RuntimeException e) {
      // Only disk space is at stake: the watermark never names this snapshot.
      LOG.warn("could not remove the unused snapshot {}: {}", key, e.getMessage());
    }
  }

  private static String firstValue(Column c) {
    for (int r = 0; r < c.size(); r++) {
      if (!c.isMissing(r)) {
        return String.valueOf(c.value(r));
      }
    }
    return "";
  }
}
