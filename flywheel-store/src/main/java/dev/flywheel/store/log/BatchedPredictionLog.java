package dev.flywheel.store.log;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A prediction log's machinery, whatever database holds it: a bounded in-memory queue in front of a
 * {@code predictions} table, drained by one writer thread ({@code flywheel-prediction-log}).
 * Subclasses say how one batch is written in one transaction and how rows are read back: {@code
 * SqlitePredictionLog} (the workdir's file) and {@code PostgresPredictionLog}.
 *
 * <p>Callers never wait for the disk: {@link #offer} appends to the queue under a short lock and
 * returns. The writer takes whatever is queued (up to {@link Settings#maxBatch()} rows) as soon as
 * it is there and commits it as one transaction, so batches grow with load (group commit) and a
 * lone row is written at once.
 *
 * <p>The invariant: at most {@link Settings#capacity()} offered rows are ever uncommitted, counting
 * the batch the writer holds; beyond that {@code offer} returns false. So a crash loses at most
 * {@code capacity} acknowledged rows, and normally only the last few milliseconds' worth. A write
 * that fails (disk full, a lock held past the busy timeout) is logged and retried with backoff; its
 * rows are never dropped, and meanwhile the queue fills and offers are refused. Callers that may
 * lose nothing use {@link #offerDurable}, which completes when the row is committed.
 *
 * <p>Each offer gets a sequence number (its position in the queue's order); the writer publishes
 * how many rows it has committed, and {@link #flush} waits until that count reaches the number
 * offered before the call.
 *
 * <p>Thread-safe. Subclasses read on connections other than the writer's, so reads never wait
 * behind a batch.
 */
public abstract class BatchedPredictionLog implements PredictionLog {

  private static final Logger LOG = LoggerFactory.getLogger(BatchedPredictionLog.class);

  /** The writer thread's name, as thread dumps show it. */
  public static final String THREAD_NAME = "flywheel-prediction-log";

  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  /**
   * How durable each commit of the writer is. In SQLite it is the writer connection's {@code
   * synchronous} setting (WAL mode); in PostgreSQL, {@code FULL} is {@code synchronous_commit=on}
   * and {@code NORMAL} is {@code synchronous_commit=off} (a server crash may lose the last few
   * hundred milliseconds of commits, never consistency).
   *
   * <ul>
   *   <li>{@code FULL}: every commit syncs the WAL, so a committed row survives an OS crash or
   *       power loss.
   *   <li>{@code NORMAL}: commits are not synced, only checkpoints. A committed row survives a
   *       crash of the process, but an OS crash or power loss may roll back the transactions
   *       committed since the last checkpoint (the WAL holds up to about 1000 pages, 4 MB); the
   *       file stays consistent.
   * </ul>
   */
  public enum Synchronous {
    FULL,
    NORMAL
  }

  /**
   * How the log is sized and how durable its commits are.
   *
   * @param capacity the most rows that may be offered but not yet committed; a full log refuses
   *     offers
   * @param maxBatch the most rows the writer commits in one transaction
   * @param synchronous the writer connection's sync setting
   * @param flushTimeout how long {@link #flush} waits before it fails with a message
   */
  public record Settings(
      int capacity, int maxBatch, Synchronous synchronous, Duration flushTimeout) {

    public static final int DEFAULT_CAPACITY = 100_000;
    public static final int DEFAULT_MAX_BATCH = 5_000;
    public static final Duration DEFAULT_FLUSH_TIMEOUT = Duration.ofSeconds(30);

    public Settings {
      Objects.requireNonNull(synchronous, "synchronous");
      Objects.requireNonNull(flushTimeout, "flushTimeout");
      List<String> problems = new ArrayList<>();
      if (capacity < 1) {
        problems.add("capacity was " + capacity + " but it must be at least 1");
      }
      if (maxBatch < 1) {
        problems.add("maxBatch was " + maxBatch + " but it must be at least 1");
      }
      if (flushTimeout.isNegative() || flushTimeout.isZero()) {
        problems.add("flushTimeout was " + flushTimeout + " but it must be positive");
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "prediction log settings: " + String.join("; ", problems));
      }
    }

    /** Capacity 100,000, batches of up to 5,000, {@code synchronous=FULL}, flush timeout 30 s. */
    public static Settings defaults() {
      return new Settings(
          DEFAULT_CAPACITY, DEFAULT_MAX_BATCH, Synchronous.FULL, DEFAULT_FLUSH_TIMEOUT);
    }

    public Settings withCapacity(int capacity) {
      return new Settings(capacity, maxBatch, synchronous, flushTimeout);
    }

    public Settings withMaxBatch(int maxBatch) {
      return new Settings(capacity, maxBatch, synchronous, flushTimeout);
    }

    public Settings withSynchronous(Synchronous synchronous) {
      return new Settings(capacity, maxBatch, synchronous, flushTimeout);
    }

    public Settings withFlushTimeout(Duration flushTimeout) {
      return new Settings(capacity, maxBatch, synchronous, flushTimeout);
    }
  }

  /** A caller of {@link #offerDurable} waiting for the row with this sequence number. */
  private record Waiter(long seq, CompletableFuture<Void> done) {}

  private final String name; // the log as the user knows it, for messages
  private final Settings settings;
  private final Thread writer;

  // The queue and everything about offering, guarded by lock.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<PredictionRecord> queue = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private boolean closed;
  private boolean stopping;

  /** Rows accepted so far; the last one's sequence number. Written under lock. */
  private volatile long offered;

  /** Rows committed so far; written by the writer thread alone. */
  private volatile long committed;

  /** Transactions committed so far; written by the writer thread alone. */
  private volatile long batches;

  private final ReentrantLock commitLock = new ReentrantLock();
  private final Condition advanced = commitLock.newCondition();

  private volatile boolean abandon;
  private volatile Throwable writerDeath;
  private volatile String lastError;

  /**
   * @param name the log as the user knows it (a file, or a redacted store URL), for messages
   */
  protected BatchedPredictionLog(String name, Settings settings) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.writer = new Thread(this::runWriter, THREAD_NAME);
    writer.setDaemon(true);
  }

  /** Starts the writer; a factory calls it once the subclass is ready. */
  protected final void start() {
    writer.start();
  }

  /**
   * Writes {@code batch} in one committed transaction, and returns each row's update count (0 for
   * an id logged already, which is kept). On failure it rolls back and throws: the batch is
   * retried. Called on the writer thread only.
   */
  protected abstract int[] writeBatch(List<PredictionRecord> batch) throws SQLException;

  /** Reads the newest committed rows of {@code model}; see {@link #recent(String, int)}. */
  protected abstract List<PredictionRecord> readRecent(String model, int limit);

  /**
   * Reads the newest committed rows of one version; see {@link #recent(String, int, Instant, int)}.
   */
  protected abstract List<PredictionRecord> readRecent(
      String model, int version, Instant since, int limit);

  /** Reads the time of a version's first committed row. */
  protected abstract Optional<Instant> readFirst(String model, int version);

  /** How long {@link #close} waits for a writer inside a database call to stop. */
  protected abstract long writerStopMillis();

  /**
   * Releases the database resources once the writer is done with them; {@code writerStopped} is
   * false when the writer is still inside a call (its connection must then be left alone). Problems
   * are added to {@code failure} when it is not null, else logged.
   */
  protected abstract void release(boolean writerStopped, RuntimeException failure);

  public final Settings settings() {
    return settings;
  }

  @Override
  public boolean offer(PredictionRecord record) {
    return enqueue(validate(record), null) == null;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Group commit: the future completes on the writer thread right after the commit that holds
   * its row, together with every other row of that batch. Dependent stages attached with the
   * non-async methods run on the writer thread, so keep them short (hand off to an event loop) or
   * use the {@code *Async} variants.
   */
  @Override
  public CompletableFuture<Void> offerDurable(PredictionRecord record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    String refused = enqueue(validate(record), done);
    return refused == null
        ? done
        : CompletableFuture.failedFuture(new RejectedExecutionException(refused));
  }

  private static PredictionRecord validate(PredictionRecord r) {
    Objects.requireNonNull(r, "record");
    // Checked here, on the caller's thread: a null would otherwise fail the writer's batch forever.
    Objects.requireNonNull(r.id(), "the prediction record has no id");
    Objects.requireNonNull(r.time(), "the prediction record has no time");
    Objects.requireNonNull(r.model(), "the prediction record has no model");
    Objects.requireNonNull(r.inputs(), "the prediction record has no inputs");
    Objects.requireNonNull(r.output(), "the prediction record has no output");
    return r;
  }

  /** Appends a record; returns null when accepted, else why it was refused. */
  private String enqueue(PredictionRecord record, CompletableFuture<Void> done) {
    lock.lock();
    try {
      if (writerDeath != null) {
        return "the prediction log writer for " + name + " has stopped: " + writerDeath;
      }
      if (closed) {
        return "the prediction log " + name + " is closed";
      }
      long seq = offered;
      if (seq - committed >= settings.capacity()) {
        return "the prediction log "
            + name
            + " is full ("
            + settings.capacity()
            + " rows not yet written)"
            + (lastError == null ? "" : "; the last write failed: " + lastError);
      }
      queue.addLast(record);
      offered = seq + 1;
      if (done != null) {
        waiters.addLast(new Waiter(seq + 1, done));
      }
      if (queue.size() == 1) {
        // The writer waits only on an empty queue, so only the first row needs to wake it.
        notEmpty.signal();
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() {
    long target = offered;
    if (committed >= target) {
      return;
    }
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException(
          "flush() was called on the prediction log's writer thread (from a callback of an"
              + " offerDurable future?) and would wait for itself; use the *Async methods to"
              + " attach callbacks");
    }
    long deadline = System.nanoTime() + settings.flushTimeout().toNanos();
    commitLock.lock();
    try {
      while (committed < target) {
        if (writerDeath != null || !writer.isAlive()) {
          throw new InfrastructureException(
              "the prediction log writer for "
                  + name
                  + " has stopped"
                  + (writerDeath == null ? "" : " (" + writerDeath + ")")
                  + "; "
                  + (target - committed)
                  + " predictions offered before this flush were not written",
              writerDeath);
        }
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new InfrastructureException(
              "flushing the prediction log "
                  + name
                  + " timed out after "
                  + settings.flushTimeout().toMillis()
                  + " ms with "
                  + (target - committed)
                  + " predictions still unwritten; "
                  + (lastError == null
                      ? "the writer is slow or waiting for a write lock"
                      : "the last write failed: " + lastError)
                  + ". The writer keeps retrying; check free disk space and that no other process"
                  + " holds a write lock on the database.",
              null);
        }
        advanced.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while flushing the prediction log " + name, e);
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public int pending() {
    return (int) (offered - committed);
  }

  /** Transactions the writer has committed: with {@link #pending} and load, the batch size. */
  public long batchesCommitted() {
    return batches;
  }

  @Override
  public int capacity() {
    return settings.capacity();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads committed rows: call {@link #flush} first to include what is queued.
   */
  @Override
  public List<PredictionRecord> recent(String model, int limit) {
    Objects.requireNonNull(model, "model");
    checkLimit(limit);
    return readRecent(model, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads committed rows: call {@link #flush} first to include what is queued.
   */
  @Override
  public List<PredictionRecord> recent(String model, int version, Instant since, int limit) {
    Objects.requireNonNull(model, "model");
    checkLimit(limit);
    return readRecent(model, version, since, limit);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads committed rows: call {@link #flush} first to include what is queued.
   */
  @Override
  public Optional<Instant> first(String model, int version) {
    Objects.requireNonNull(model, "model");
    return readFirst(model, version);
  }

  /** Checks a read's limit. */
  public static void checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit was " + limit + " but it must be 0 or more");
    }
  }

  /** Reads every row of {@code ps}'s result with {@link #read}. */
  public static List<PredictionRecord> readAll(PreparedStatement ps, int limit)
      throws SQLException {
    List<PredictionRecord> out = new ArrayList<>(Math.min(limit, 10_000));
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(read(rs, 1));
      }
    }
    return out;
  }

  /**
   * Reads a record from the columns id, ts, model, version, inputs, output starting at {@code i}.
   */
  public static PredictionRecord read(ResultSet rs, int i) throws SQLException {
    return new PredictionRecord(
        rs.getString(i),
        Timestamps.parse(rs.getString(i + 1)),
        rs.getString(i + 2),
        rs.getInt(i + 3),
        rs.getString(i + 4),
        rs.getString(i + 5));
  }

  /**
   * Refuses further offers, waits for everything offered to be committed (up to the flush timeout),
   * stops the writer and closes the connections. If the flush fails, the rows still queued are
   * lost; that is logged as an error with their count, and this method throws after cleaning up.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.unlock();
    }
    RuntimeException failure = null;
    try {
      flush();
    } catch (RuntimeException e) {
      failure = e;
      abandon = true;
    }
    lock.lock();
    try {
      stopping = true;
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
    if (abandon) {
      writer.interrupt();
    }
    try {
      // A writer inside a database wait (SQLite's busy timeout) may not see the interrupt until
      // the wait ends.
      writer.join(writerStopMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (writer.isAlive()) {
      LOG.error("the prediction log writer for {} did not stop; closing its database anyway", name);
    }
    release(!writer.isAlive(), failure);
    if (failure != null) {
      throw failure;
    }
  }

  // ---- the writer thread ----

  private void runWriter() {
    List<PredictionRecord> batch = new ArrayList<>(Math.min(settings.maxBatch(), 1 << 16));
    try {
      while (true) {
        lock.lock();
        try {
          while (queue.isEmpty() && !stopping) {
            // The offer that makes the queue non-empty signals; the timeout only bounds how
            // long a missed stop takes to notice.
            notEmpty.await(100, TimeUnit.MILLISECONDS);
          }
          if (queue.isEmpty()) {
            return; // stopping, and everything offered is written
          }
          int n = Math.min(settings.maxBatch(), queue.size());
          for (int i = 0; i < n; i++) {
            batch.add(queue.pollFirst());
          }
        } finally {
          lock.unlock();
        }
        if (!writeWithRetry(batch)) {
          return; // abandoned by close(): the rows are counted as lost in the finally below
        }
        publish(batch.size());
        batch.clear();
      }
    } catch (InterruptedException e) {
      // close() gave up on a flush and interrupted us while we waited for rows.
    } catch (RuntimeException | Error e) {
      writerDeath = e;
      LOG.error("the prediction log writer for {} stopped; predictions will be refused", name, e);
    } finally {
      abandonRemaining(batch.size());
    }
  }

  /** Writes one batch, retrying until it is committed; false if close() abandoned it. */
  private boolean writeWithRetry(List<PredictionRecord> batch) {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; ; attempt++) {
      try {
        int[] counts = writeBatch(batch);
        if (attempt > 1) {
          LOG.info(
              "the prediction log {} recovered: wrote {} rows after {} attempts",
              name,
              batch.size(),
              attempt);
          lastError = null;
        } else {
          warnAboutDuplicates(batch, counts);
        }
        return true;
      } catch (SQLException | RuntimeException e) {
        lastError = e.getMessage();
        if (attempt == 1 || attempt % 20 == 0) {
          LOG.warn(
              "writing {} predictions to {} failed (attempt {}); they stay queued and the write"
                  + " is retried in {} ms",
              batch.size(),
              name,
              attempt,
              backoff,
              e);
        }
        if (abandon) {
          return false;
        }
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          if (abandon) {
            return false;
          }
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void warnAboutDuplicates(List<PredictionRecord> batch, int[] counts) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        ids.add(batch.get(i).id());
      }
    }
    if (!ids.isEmpty()) {
      LOG.warn(
          "{} predictions had an id that was logged already; the first record of each is kept"
              + " (prediction ids must be unique): {}",
          ids.size(),
          ids.size() > 10 ? ids.subList(0, 10) + " …" : ids);
    }
  }

  private void publish(int n) {
    long now = committed + n;
    committed = now;
    batches++;
    commitLock.lock();
    try {
      advanced.signalAll();
    } finally {
      commitLock.unlock();
    }
    List<Waiter> done = null;
    lock.lock();
    try {
      while (!waiters.isEmpty() && waiters.peekFirst().seq() <= now) {
        if (done == null) {
          done = new ArrayList<>();
        }
        done.add(waiters.pollFirst());
      }
    } finally {
      lock.unlock();
    }
    if (done != null) {
      for (Waiter w : done) {
        w.done().complete(null);
      }
    }
  }

  /** Fails the waiters of rows that will never be written, and says how many rows were lost. */
  private void abandonRemaining(int inHand) {
    List<Waiter> failed;
    int queued;
    lock.lock();
    try {
      stopping = true;
      closed = true;
      queued = queue.size();
      queue.clear();
      failed = new ArrayList<>(waiters);
      waiters.clear();
    } finally {
      lock.unlock();
    }
    int lost = inHand + queued;
    if (lost > 0) {
      LOG.error(
          "the prediction log writer for {} stopped with {} predictions unwritten; they are lost{}",
          name,
          lost,
          lastError == null ? "" : " (the last write failed: " + lastError + ")");
    }
    InfrastructureException cause =
        new InfrastructureException(
            "the prediction log writer for " + name + " stopped before this row was written",
            writerDeath);
    for (Waiter w : failed) {
      w.done().completeExceptionally(cause);
    }
    commitLock.lock();
    try {
      advanced.signalAll();
    } finally {
      commitLock.unlock();
    }
  }
}
