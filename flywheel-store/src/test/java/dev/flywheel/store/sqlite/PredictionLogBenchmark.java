package dev.flywheel.store.sqlite;

import static dev.flywheel.store.sqlite.Predictions.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.store.log.BatchedPredictionLog.Settings;
import dev.flywheel.store.log.BatchedPredictionLog.Synchronous;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast the prediction log writes, and what {@code offer} costs its caller, with {@code
 * synchronous} FULL against NORMAL. Not a test: run it with
 *
 * <pre>
 * ./mvnw -o -B -q test -pl flywheel-store -am -Dspotless.check.skip=true \
 *   -Dtest=PredictionLogBenchmark -Dflywheel.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read {@code flywheel-store/target/surefire-reports/*PredictionLogBenchmark-output.txt}.
 */
@EnabledIfSystemProperty(named = "flywheel.bench", matches = "true")
class PredictionLogBenchmark {

  private static final int N = 200_000;
  private static final int ROUNDS = 4; // the first is warm-up

  @TempDir Path dir;

  private int files;

  private Path freshDb() {
    return dir.resolve("bench-" + files++ + ".db");
  }

  @Test
  void measure() throws Exception {
    List<PredictionRecord> records = new ArrayList<>(N);
    for (int i = 0; i < N; i++) {
      records.add(record("churn", i));
    }
    System.out.printf(
        Locale.ROOT,
        "records: %d, inputs %d bytes, output %d bytes%n",
        N,
        records.get(12_345).inputs().length(),
        records.get(12_345).output().length());

    double[][] rowsPerSecond = new double[2][ROUNDS - 1];
    double[][] offerNs = new double[2][ROUNDS - 1];
    double[][] rowsPerCommit = new double[2][ROUNDS - 1];
    double[][] writerCpu = new double[2][ROUNDS - 1];
    for (int round = 0; round < ROUNDS; round++) {
      for (int k = 0; k < 2; k++) {
        // Alternate which setting goes first, so drift in the machine's load hits both.
        Synchronous sync = Synchronous.values()[(k + round) % 2];
        Settings settings = Settings.defaults().withCapacity(N).withSynchronous(sync);
        try (SqlitePredictionLog log = SqlitePredictionLog.open(freshDb(), settings)) {
          long writer = writerThreadId();
          long cpu0 = THREADS.getThreadCpuTime(writer);
          long t0 = System.nanoTime();
          for (PredictionRecord r : records) {
            if (!log.offer(r)) {
              throw new AssertionError("refused");
            }
          }
          long t1 = System.nanoTime();
          log.flush();
          long t2 = System.nanoTime();
          double cpuPerRow = (THREADS.getThreadCpuTime(writer) - cpu0) / 1e3 / N;
          int s = sync.ordinal();
          double rps = N / ((t2 - t0) / 1e9);
          double ns = (t1 - t0) / (double) N;
          double perCommit = N / (double) log.batchesCommitted();
          System.out.printf(
              Locale.ROOT,
              "round %d %-6s: %,.0f rows/s written, writer CPU %.2f µs per row, offer %.0f ns"
                  + " (writer running), %.0f rows per commit%n",
              round,
              sync,
              rps,
              cpuPerRow,
              ns,
              perCommit);
          if (round > 0) {
            rowsPerSecond[s][round - 1] = rps;
            offerNs[s][round - 1] = ns;
            rowsPerCommit[s][round - 1] = perCommit;
            writerCpu[s][round - 1] = cpuPerRow;
          }
        }
      }
    }
    for (Synchronous sync : Synchronous.values()) {
      int s = sync.ordinal();
      System.out.printf(
          Locale.ROOT,
          "SUMMARY %-6s: median %,.0f rows/s (runs %s), writer CPU %.2f µs per row, offer median"
              + " %.0f ns, %.0f rows per commit%n",
          sync,
          median(rowsPerSecond[s]),
          Arrays.toString(Arrays.stream(rowsPerSecond[s]).mapToLong(Math::round).toArray()),
          median(writerCpu[s]),
          median(offerNs[s]),
          median(rowsPerCommit[s]));
    }

    offerCostWithTheWriterStalled(records);
    offerCostFromFourThreads(records);
    refusalsAtFullSpeedWithTheDefaultCapacity(records);
    for (int round = 0; round < 2; round++) {
      for (Synchronous sync : Synchronous.values()) {
        loneDurableRowLatency(records, sync);
      }
    }
    for (Synchronous sync : Synchronous.values()) {
      backlogAtASteadyRate(records, sync, 20_000);
    }
  }

  /**
   * What a crash would lose under steady serving load: the rows offered but not yet committed,
   * sampled every millisecond while offering 20 rows per millisecond for 3 seconds.
   */
  private void backlogAtASteadyRate(List<PredictionRecord> records, Synchronous sync, int perSecond)
      throws InterruptedException {
    int seconds = 3;
    int perMilli = perSecond / 1000;
    try (SqlitePredictionLog log =
        SqlitePredictionLog.open(freshDb(), Settings.defaults().withSynchronous(sync))) {
      int[] samples = new int[seconds * 1000];
      long start = System.nanoTime();
      int next = 0;
      for (int ms = 0; ms < samples.length; ms++) {
        for (int i = 0; i < perMilli; i++) {
          log.offer(records.get(next++ % records.size()));
        }
        samples[ms] = log.pending();
        long wake = start + (ms + 1) * 1_000_000L;
        long wait;
        while ((wait = wake - System.nanoTime()) > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      long commits = log.batchesCommitted();
      log.flush();
      Arrays.sort(samples);
      System.out.printf(
          Locale.ROOT,
          "%-6s at %,d rows/s: pending rows median %d, p99 %d, max %d (%.1f rows per commit)%n",
          sync,
          perSecond,
          samples[samples.length / 2],
          samples[samples.length * 99 / 100],
          samples[samples.length - 1],
          next / (double) commits);
    }
  }

  /** The bare cost of an offer: no writer competes for the lock or the cores. */
  private void offerCostWithTheWriterStalled(List<PredictionRecord> records) throws Exception {
    for (int round = 0; round < 3; round++) {
      Path db = freshDb();
      try (SqlitePredictionLog log =
              SqlitePredictionLog.open(db, Settings.defaults().withCapacity(N));
          Predictions.WriteLock lock = new Predictions.WriteLock(db)) {
        long t0 = System.nanoTime();
        for (PredictionRecord r : records) {
          log.offer(r);
        }
        long t1 = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "offer with the writer stalled (round %d): %.0f ns%n",
            round,
            (t1 - t0) / (double) N);
        lock.release();
        log.flush();
      }
    }
  }

  private void offerCostFromFourThreads(List<PredictionRecord> records) throws Exception {
    for (int round = 0; round < 3; round++) {
      try (SqlitePredictionLog log =
          SqlitePredictionLog.open(freshDb(), Settings.defaults().withCapacity(N))) {
        int threads = 4;
        int each = N / threads;
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong nanos = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<PredictionRecord> mine = records.subList(t * each, (t + 1) * each);
          workers.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try {
                          start.await();
                        } catch (InterruptedException e) {
                          throw new AssertionError(e);
                        }
                        long t0 = System.nanoTime();
                        for (PredictionRecord r : mine) {
                          log.offer(r);
                        }
                        nanos.addAndGet(System.nanoTime() - t0);
                      }));
        }
        start.countDown();
        for (Thread w : workers) {
          w.join();
        }
        log.flush();
        System.out.printf(
            Locale.ROOT,
            "offer from 4 threads on 2 cores (round %d): %.0f ns of wall time per offer per thread%n",
            round,
            nanos.get() / (double) N);
      }
    }
  }

  private void refusalsAtFullSpeedWithTheDefaultCapacity(List<PredictionRecord> records) {
    for (Synchronous sync : Synchronous.values()) {
      try (SqlitePredictionLog log =
          SqlitePredictionLog.open(freshDb(), Settings.defaults().withSynchronous(sync))) {
        int refused = 0;
        int maxPending = 0;
        for (PredictionRecord r : records) {
          if (!log.offer(r)) {
            refused++;
          }
          maxPending = Math.max(maxPending, log.pending());
        }
        log.flush();
        System.out.printf(
            Locale.ROOT,
            "%s, capacity %d, %d offers as fast as one thread can: %d refused, max pending %d%n",
            sync,
            log.capacity(),
            N,
            refused,
            maxPending);
      }
    }
  }

  /** What a caller of offerDurable waits when it is alone: one commit (and, with FULL, a sync). */
  private void loneDurableRowLatency(List<PredictionRecord> records, Synchronous sync) {
    int n = 300;
    try (SqlitePredictionLog log =
        SqlitePredictionLog.open(freshDb(), Settings.defaults().withSynchronous(sync))) {
      long[] micros = new long[n];
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        log.offerDurable(records.get(i)).join();
        micros[i] = (System.nanoTime() - t0) / 1_000;
      }
      Arrays.sort(micros);
      System.out.printf(
          Locale.ROOT,
          "%-6s lone durable row: median %d µs, p90 %d µs, p99 %d µs (%d rows, one at a time)%n",
          sync,
          micros[n / 2],
          micros[n * 9 / 10],
          micros[n * 99 / 100],
          n);
      assertThat(log.batchesCommitted()).isEqualTo(n);
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static long writerThreadId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(SqlitePredictionLog.THREAD_NAME))
        .findFirst()
        .orElseThrow()
        .threadId();
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
