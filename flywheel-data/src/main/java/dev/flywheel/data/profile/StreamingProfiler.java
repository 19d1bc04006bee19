package dev.flywheel.data.profile;

import dev.flywheel.core.frame.MissingValues;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Profiles rows of text cells as they stream by, in memory bounded by the number of columns (and
 * the exact-distinct bound), never by the number of rows. Any source that yields text cells can
 * feed it: {@link #add(String[])} per row, or, for parsers with a character buffer, {@link #cell}
 * per field then {@link #commitRow()} or {@link #discardRow()}, which avoids a String per number.
 *
 * <p>{@link #pipelined} profilers parse on the caller's thread and update the statistics on a
 * second one, a batch of rows at a time; the result is the same as in one thread, since each column
 * still sees its values in order. Close such a profiler when the source fails before {@link
 * #finish}, so its thread ends.
 *
 * <p>Missing cells are the tokens of {@link MissingValues}. Numbers are plain decimals (see {@link
 * NumberText}), the same cells {@code FrameBuilder} reads as numbers.
 */
public final class StreamingProfiler implements AutoCloseable {

  /** How many unparsed records are kept as examples. */
  public static final int MAX_EXAMPLES = 5;

  private static final byte MISSING = 0;
  private static final byte NUMBER = 1;
  private static final byte TEXT = 2;

  /** Rows per batch handed to the statistics thread. */
  private static final int BATCH_ROWS = 4096;

  private ColumnStats[] columns;
  private final NumberText parser = NumberText.create();
  private long rows;
  private long unparsed;
  private final List<DataProfile.Unparsed> examples = new ArrayList<>();
  // Whether a column has committed a text cell: then it is categorical for good (as ColumnStats
  // decides), so its cells are no longer parsed as numbers and keep their text as written.
  private boolean[] textSeen;

  private final boolean pipelined;
  private Batch batch;
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(2);
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(4);
  private int batches;
  private Thread worker;
  private volatile Throwable failure;

  public StreamingProfiler(List<String> names) {
    this(names, false);
  }

  private StreamingProfiler(List<String> names, boolean pipelined) {
    columns = new ColumnStats[names.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ColumnStats(names.get(i));
    }
    textSeen = new boolean[columns.length];
    this.pipelined = pipelined;
    batch = new Batch(pipelined ? BATCH_ROWS : 1, columns.length);
    batches = 1;
  }

  /**
   * A profiler that updates its statistics on a second thread while the caller parses: for large
   * sources on more than one core. {@link #addColumn} is not supported.
   */
  public static StreamingProfiler pipelined(List<String> names) {
    return new StreamingProfiler(names, true);
  }

  /** The cells of a run of rows, row-major; a batch of one row when not pipelined. */
  private static final class Batch {
    final int capacity;
    final int width;
    final byte[] kind;
    final double[] numbers;
    final boolean[] integers;
    final String[] texts;
    int rows;

    Batch(int capacity, int width) {
      this.capacity = capacity;
      this.width = width;
      kind = new byte[capacity * width];
      numbers = new double[capacity * width];
      integers = new boolean[capacity * width];
      texts = new String[capacity * width];
    }
  }

  /**
   * Adds a column after rows have been added (records whose keys first appear later, as in JSON):
   * it counts as missing in every row so far.
   *
   * @return its index
   */
  public int addColumn(String name) {
    if (pipelined) {
      throw new IllegalStateException("a pipelined profiler has a fixed set of columns");
    }
    int i = columns.length;
    columns = java.util.Arrays.copyOf(columns, i + 1);
    textSeen = java.util.Arrays.copyOf(textSeen, i + 1);
    batch = new Batch(1, i + 1);
    columns[i] = new ColumnStats(name);
    columns[i].nulls = rows;
    return i;
  }

  public int columnCount() {
    return columns.length;
  }

  public long rows() {
    return rows;
  }

  public long unparsed() {
    return unparsed;
  }

  /** Adds one row; it must have one cell per column (null is a missing cell). */
  public void add(String[] cells) {
    if (cells.length != columns.length) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, expected " + columns.length);
    }
    int base = batch.rows * batch.width;
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] == null) {
        batch.kind[base + i] = MISSING;
      } else {
        char[] chars = cells[i].toCharArray();
        cell(i, chars, 0, chars.length);
      }
    }
    commitRow();
  }

  /** Sets the cell of {@code column} in the current row from {@code buf[off, off+len)}. */
  public void cell(int column, char[] buf, int off, int len) {
    Batch b = batch;
    int at = b.rows * b.width + column;
    int end = off + len;
    while (off < end && buf[off] <= ' ') {
      off++;
    }
    while (end > off && buf[end - 1] <= ' ') {
      end--;
    }
    len = end - off;
    if (len == 0) {
      b.kind[at] = MISSING;
      return;
    }
    char first = buf[off];
    if (!textSeen[column]
        && (first <= '9' && (first >= '0' || first == '-' || first == '.' || first == '+'))
        && parser.parse(buf, off, len)) {
      b.kind[at] = NUMBER;
      b.numbers[at] = parser.value;
      b.integers[at] = parser.integer;
      return;
    }
    String s = new String(buf, off, len);
    if (len <= 4 && MissingValues.TOKENS.contains(s)) {
      b.kind[at] = MISSING;
    } else {
      b.kind[at] = TEXT;
      b.texts[at] = s;
    }
  }

  /** Adds the current row (every column's cell must have been set). */
  public void commitRow() {
    rows++;
    Batch b = batch;
    int base = b.rows * b.width;
    for (int c = 0; c < b.width; c++) {
      if (b.kind[base + c] == TEXT) {
        textSeen[c] = true;
      }
    }
    if (++b.rows == b.capacity) {
      if (pipelined) {
        submit();
      } else {
        apply(b);
      }
    }
  }

  /** Updates the statistics from a batch, column by column, and empties it. */
  private void apply(Batch b) {
    int width = b.width;
    for (int c = 0; c < width; c++) {
      ColumnStats stats = columns[c];
      for (int r = 0, at = c; r < b.rows; r++, at += width) {
        switch (b.kind[at]) {
          case NUMBER -> stats.number(b.numbers[at], b.integers[at]);
          case TEXT -> {
            stats.text(b.texts[at]);
            b.texts[at] = null;
          }
          default -> stats.missing();
        }
      }
    }
    b.rows = 0;
  }

  /** Hands the full batch to the statistics thread and takes an empty one. */
  private void submit() {
    checkWorker();
    if (worker == null) {
      worker = new Thread(this::work, "flywheel-profile-stats");
      worker.setDaemon(true);
      worker.start();
    }
    try {
      put(batch);
      Batch next = free.poll();
      if (next == null && batches < 3) {
        next = new Batch(BATCH_ROWS, columns.length);
        batches++;
      }
      while (next == null) {
        checkWorker();
        next = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      batch = next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while profiling", e);
    }
  }

  private void put(Batch b) throws InterruptedException {
    while (!full.offer(b, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      checkWorker();
    }
  }

  private void checkWorker() {
    Throwable t = failure;
    if (t != null) {
      throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
  }

  private static final Batch END = new Batch(0, 0);

  private void work() {
    try {
      while (true) {
        Batch b = full.take();
        if (b == END) {
          return;
        }
        apply(b);
        free.put(b);
      }
    } catch (InterruptedException e) {
      // close(): the source failed; nobody reads the statistics.
    } catch (RuntimeException | Error e) {
      failure = e;
    }
  }

  /** Ends the statistics thread, if any, without waiting for pending rows. */
  @Override
  public void close() {
    if (worker != null) {
      worker.interrupt();
    }
  }

  /** Drops the current row and counts it as unparsed. */
  public void discardRow(long line, String reason) {
    unparsed++;
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(new DataProfile.Unparsed(line, null, reason));
    }
  }

  /** Drops the current row and counts it as unparsed, keeping the start of its text. */
  public void discardRow(long line, String text, String reason) {
    unparsed++;
    if (examples.size() < MAX_EXAMPLES) {
      String shown = text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
      examples.add(new DataProfile.Unparsed(line, shown, reason));
    }
  }

  /** Examples kept so far, to which a source may add the text of the line. */
  List<DataProfile.Unparsed> examples() {
    return examples;
  }

  public DataProfile finish(String source) {
    if (worker != null) {
      try {
        put(END);
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while profiling", e);
      }
      checkWorker();
    }
    // After the thread has applied every earlier batch, so each column sees its rows in order.
    if (batch.rows > 0) {
      apply(batch);
    }
    List<ColumnProfile> out = new ArrayList<>(columns.length);
    for (ColumnStats c : columns) {
      out.add(c.result());
    }
    return new DataProfile(source, rows, unparsed, List.copyOf(examples), out);
  }
}
