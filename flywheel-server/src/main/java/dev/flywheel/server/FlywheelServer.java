package dev.flywheel.server;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.serving.Ulid;
import dev.flywheel.core.store.ArtifactStore;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.pipeline.monitor.Monitor;
import dev.flywheel.pipeline.retrain.RetrainingController;
import dev.flywheel.store.Workdir;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flywheel HTTP server: serves the production version of every model in the store, logs every
 * prediction, takes feedback, monitors drift and performance, exposes Prometheus metrics, and swaps
 * in newly promoted versions without failing a request. One HTTP server per event loop shares the
 * port, so requests spread over the cores.
 *
 * <p>Start one with {@link #start}; {@link #close} shuts down gracefully: stop accepting, finish
 * in-flight requests (up to the configured grace), then flush the prediction log.
 */
public final class FlywheelServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FlywheelServer.class);

  private final Vertx vertx;
  private final List<HttpServer> servers;
  private final RegistryWatcher watcher;
  private final MonitoringService monitoring;
  private final RetrainingController retraining;
  private final PredictionLog log;
  private final LiveModels live;
  private final ServerConfig config;
  private final int port;
  private boolean closed;

  private FlywheelServer(
      Vertx vertx,
      List<HttpServer> servers,
      RegistryWatcher watcher,
      MonitoringService monitoring,
      RetrainingController retraining,
      PredictionLog log,
      LiveModels live,
      ServerConfig config) {
    this.vertx = vertx;
    this.servers = servers;
    this.watcher = watcher;
    this.monitoring = monitoring;
    this.retraining = retraining;
    this.log = log;
    this.live = live;
    this.config = config;
    this.port = servers.get(0).actualPort();
  }

  /**
   * Serves a workdir: its registry, artifacts, prediction log and feedback store. The workdir stays
   * owned by the caller, who closes it after {@link #close}.
   */
  public static FlywheelServer start(Workdir workdir, ServerConfig config) {
    return start(
        workdir.metadata(),
        workdir.artifacts(),
        workdir.predictionLog(),
        workdir.feedback(),
        config);
  }

  /**
   * Loads the production models and starts listening. The stores stay owned by the caller, who
   * closes them after {@link #close}.
   */
  public static FlywheelServer start(
      MetadataStore metadata,
      ArtifactStore artifacts,
      PredictionLog log,
      FeedbackStore feedback,
      ServerConfig config) {
    LiveModels live = new LiveModels();
    ServerMetrics metrics = new ServerMetrics(log::pending);
    RegistryWatcher watcher =
        new RegistryWatcher(
            metadata,
            artifacts,
            live,
            metrics,
            m -> metrics.modelVersion.labelValues(m.name()).set(m.number()));
    watcher.start(config.pollInterval());
    MonitoringService monitoring =
        new MonitoringService(new Monitor(metadata, artifacts, log, feedback), live, metrics);

    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    PredictionService service =
        new PredictionService(
            log, new Ulid(config.clock(), new ThreadLocalSource()), config.clock());
    V1Handlers v1 =
        new V1Handlers(live, service, log, feedback, metadata, metrics, config.clock(), monitoring);
    V2Handlers v2 = new V2Handlers(live, service, () -> true);
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setTcpNoDelay(true)
            .setCompressionSupported(false);
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    // One verticle instance per event loop, each with its own HTTP server and router. Servers of
    // one Vert.x instance on the same host and port share the socket, and Vert.x spreads
    // connections over them. Port 0 would give each its own random port; a negative port is
    // Vert.x's "one random port, shared".
    int port = config.port() == 0 ? -1 : config.port();
    try {
      vertx
          .deployVerticle(
              () ->
                  new VerticleBase() {
                    @Override
                    public Future<?> start() {
                      HttpServer server =
                          vertx
                              .createHttpServer(options)
                              .requestHandler(
                                  Routes.router(vertx, config.maxBodyBytes(), v1, v2, metrics));
                      servers.add(server);
                      return server.listen(port, config.host());
                    }
                  },
              new DeploymentOptions().setInstances(loops))
          .await(30, TimeUnit.SECONDS);
      if (servers.stream().mapToInt(HttpServer::actualPort).distinct().count() != 1) {
        throw new IllegalStateException("the HTTP servers did not share one port");
      }
    } catch (Exception e) {
      monitoring.close();
      watcher.close();
      vertx.close();
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
        cause = cause.getCause();
      }
      if (cause instanceof java.net.BindException) {
        throw new InfrastructureException(
            "cannot listen on "
                + config.host()
                + ":"
                + config.port()
                + ": "
                + cause.getMessage()
                + ". Choose another --port, or stop what uses it.",
            e);
      }
      throw new InfrastructureException(
          "the HTTP server failed to start on "
              + config.host()
              + ":"
              + config.port()
              + ": "
              + e.getMessage(),
          e);
    }
    // The server's own retraining: monitoring reports feed the scheduler, which submits runs to
    // one low-priority worker whose trainers use one thread, so serving keeps a core.
    RetrainingController retraining =
        new RetrainingController(metadata, artifacts, feedback, config.clock(), Progress.NONE, 1);
    RetrainScheduler scheduler = new RetrainScheduler(retraining, feedback, config.clock());
    monitoring.retrainingStatus(retraining::status);
    monitoring.subscribe(scheduler::onReport);
    monitoring.start(config.monitorInterval());
    FlywheelServer server =
        new FlywheelServer(vertx, servers, watcher, monitoring, retraining, log, live, config);
    LOG.info("listening on http://{}:{}", config.host(), server.port);
    return server;
  }

  /** The port the server listens on (the real one when the config asked for 0). */
  public int port() {
    return port;
  }

  /**
   * The server's monitoring: the latest report per served model, refreshed every {@link
   * ServerConfig#monitorInterval()}, and subscriptions to them (for the retraining scheduler).
   */
  public MonitoringService monitoring() {
    return monitoring;
  }

  /** The server's retraining controller: its status, events and manual retrains. */
  public RetrainingController retraining() {
    return retraining;
  }

  /** The names of the models being served now, with their versions, such as {@code churn v3}. */
  public List<String> served() {
    return live.all().stream().map(m -> m.name() + " v" + m.number()).sorted().toList();
  }

  /**
   * Stop accepting, finish in-flight requests, stop monitoring and watching the registry, flush the
   * log.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long graceMillis = config.shutdownGrace().toMillis();
    for (HttpServer server : servers) {
      try {
        server
            .shutdown(graceMillis, TimeUnit.MILLISECONDS)
            .await(graceMillis + 5000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("HTTP server did not shut down cleanly: {}", e.getMessage());
      }
    }
    // Vert.x's event loops are not daemon threads: it is closed whatever fails before it, or the
    // JVM would stay up after a failed flush.
    try {
      monitoring.close();
      retraining.close();
      watcher.close();
      log.flush();
    } finally {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.getMessage());
      }
    }
    LOG.info("stopped");
  }

  /** Random bits for prediction ids from each thread's own generator: no contention. */
  private static final class ThreadLocalSource implements RandomGenerator {
    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }
  }
}
