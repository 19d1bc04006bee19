package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.bundle.BundleIO;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.PredictionRecord;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.core.store.ModelVersion;
import dev.flywheel.ml.Trainers;
import dev.flywheel.pipeline.monitor.Monitor;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The background refresh against a real workdir whose prediction log can be made to fail. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MonitoringServiceTest {

  @TempDir Path dir;

  private Workdir workdir;
  private FlakyLog log;
  private LiveModels live;
  private ServerMetrics metrics;
  private MonitoringService service;

  /** The workdir's real log, failing its reads while {@code down} is set. */
  static final class FlakyLog implements PredictionLog {
    private final PredictionLog real;
    volatile boolean down;

    FlakyLog(PredictionLog real) {
      this.real = real;
    }

    @Override
    public boolean offer(PredictionRecord record) {
      return real.offer(record);
    }

    @Override
    public void flush() {
      real.flush();
    }

    @Override
    public int pending() {
      return real.pending();
    }

    @Override
    public int capacity() {
      return real.capacity();
    }

    @Override
    public List<PredictionRecord> recent(String model, int limit) {
      check();
      return real.recent(model, limit);
    }

    @Override
    public List<PredictionRecord> recent(String model, int version, Instant since, int limit) {
      check();
      return real.recent(model, version, since, limit);
    }

    @Override
    public Optional<Instant> first(String model, int version) {
      check();
      return real.first(model, version);
    }

    private void check() {
      if (down) {
        throw new InfrastructureException("the database is locked (test)", null);
      }
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void setUp() {
    workdir = Workdir.open(dir.resolve("work"));
    Models.train(workdir, dir, Models.LOANS);
    log = new FlakyLog(workdir.predictionLog());
    live = new LiveModels();
    metrics = new ServerMetrics(() -> 0);
    ModelVersion v = workdir.metadata().alias("loans", MetadataStore.PRODUCTION).orElseThrow();
    live.put(
        new ServedModel(
            v,
            BundleIO.read(workdir.artifacts().get(v.bundleKey()), "test", Trainers.LOADER),
            metrics.meters("loans", v.version())));
    service =
        new MonitoringService(
            new Monitor(workdir.metadata(), workdir.artifacts(), log, workdir.feedback()),
            live,
            metrics);
  }

  @AfterEach
  void tearDown() {
    service.close();
    workdir.close();
  }

  @Test
  void aFailingStoreKeepsTheLastReportAndTheNextTickRecovers() {
    BlockingQueue<MonitoringReport> heard = new LinkedBlockingQueue<>();
    service.subscribe(heard::add);
    service.tick();
    MonitoringReport first = service.latest("loans").orElseThrow();
    assertThat(heard).containsExactly(first);

    log.down = true;
    service.tick();

    assertThat(service.latest("loans")).containsSame(first);
    assertThat(heard).as("no report, no call").hasSize(1);

    log.down = false;
    service.tick();

    assertThat(heard).hasSize(2);
  }

  @Test
  void theBackgroundThreadKeepsGoingThroughFailures() throws InterruptedException {
    BlockingQueue<MonitoringReport> heard = new LinkedBlockingQueue<>();
    service.subscribe(
        r -> {
          throw new IllegalStateException("a broken listener must not stop the others");
        });
    service.subscribe(heard::add);
    log.down = true;
    service.start(Duration.ofMillis(50));
    Thread.sleep(300);
    assertThat(heard).isEmpty();

    log.down = false;

    assertThat(heard.poll(10, TimeUnit.SECONDS)).isNotNull();
    assertThat(heard.poll(10, TimeUnit.SECONDS)).as("and the one after").isNotNull();
  }

  @Test
  void closingAListenersSubscriptionStopsItsCalls() throws Exception {
    BlockingQueue<MonitoringReport> heard = new LinkedBlockingQueue<>();
    AutoCloseable subscription = service.subscribe(heard::add);
    service.tick();
    subscription.close();
    service.tick();

    assertThat(heard).hasSize(1);
  }

  @Test
  void aModelNoLongerServedLosesItsReportAndItsGauges() {
    workdir
        .predictionLog()
        .offer(
            new PredictionRecord(
                "01TEST0000000000000000001",
                Instant.parse("2026-11-26T10:00:00Z"),
                "loans",
                1,
                "{\"income\": 50000, \"debt_ratio\": 0.3, \"age\": 40, \"plan\": \"pro\","
                    + " \"region\": \"west\"}",
                "{\"label\":\"0\",\"probabilities\":{\"0\":0.8,\"1\":0.2}}"));
    workdir.predictionLog().flush();
    service.tick();
    assertThat(metrics.scrape()).contains("flywheel_drift_psi{feature=\"income\",model=\"loans\"}");

    live.remove("loans");
    service.tick();

    assertThat(service.latest()).isEmpty();
    assertThat(metrics.scrape()).doesNotContain("flywheel_drift_psi{");
  }
}
