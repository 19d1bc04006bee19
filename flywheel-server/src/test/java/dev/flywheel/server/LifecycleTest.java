package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import dev.flywheel.store.Workdir;
import dev.flywheel.store.sqlite.SqlitePredictionLog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overload, graceful shutdown and start-up failures. */
class LifecycleTest {

  @TempDir Path dir;

  private static final String ONE =
      "{\"income\": 40000, \"debt_ratio\": 0.5, \"age\": 30, \"plan\": \"plus\", \"region\": \"south\"}";

  @Test
  void fullPredictionLogAnswers503WithRetryAfter() {
    try (Workdir workdir = Workdir.open(dir.resolve("work"))) {
      Models.train(workdir, dir, Models.LOANS);
      workdir.predictionLog(SqlitePredictionLog.Settings.defaults().withCapacity(4));
      try (FlywheelServer server =
          FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
        Http http = new Http(server.port());

        Http.Response r =
            http.post(
                "/v1/models/loans:predict",
                "{\"instances\": [" + (ONE + ",").repeat(9) + ONE + "]}");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.retryAfter()).isEqualTo("1");
        assertThat(r.json().at("/error/code").asText()).isEqualTo("overloaded");
        assertThat(http.post("/v1/models/loans:predict", "{\"instances\": [" + ONE + "]}").status())
            .isEqualTo(200);
      }
    }
  }

  @Test
  void shutdownFinishesInFlightRequestsAndEveryAnsweredPredictionIsLogged() throws Exception {
    Path work = dir.resolve("work");
    List<String> answered = new CopyOnWriteArrayList<>();
    try (Workdir workdir = Workdir.open(work)) {
      Models.train(workdir, dir, Models.LOANS);
      FlywheelServer server = FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0));
      Http http = new Http(server.port());
      ExecutorService clients = Executors.newFixedThreadPool(4);
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            clients.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    try {
                      Http.Response r =
                          http.post("/v1/models/loans:predict", "{\"instances\": [" + ONE + "]}");
                      if (r.status() == 200) {
                        answered.add(r.json().at("/predictions/0/prediction_id").asText());
                      }
                    } catch (RuntimeException refusedAfterShutdown) {
                      return;
                    }
                  }
                }));
      }
      while (answered.size() < 50) {
        Thread.sleep(5);
      }
      server.close();
      for (Future<?> f : futures) {
        f.get();
      }
      clients.shutdown();
    }
    // A new process opening the workdir finds every prediction that was answered.
    try (Workdir reopened = Workdir.open(work)) {
      List<String> logged =
          reopened.predictionLog().recent("loans", 100_000).stream().map(p -> p.id()).toList();
      assertThat(logged).containsAll(answered);
    }
  }

  @Test
  void portInUseIsAnInfrastructureErrorNamingThePort() {
    try (Workdir workdir = Workdir.open(dir.resolve("work"));
        FlywheelServer first = FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
      int port = first.port();
      assertThatThrownBy(
              () -> FlywheelServer.start(workdir, ServerConfig.defaults().withPort(port)))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining(":" + port)
          .hasMessageContaining("--port");
    }
  }

  @Test
  void anEmptyRegistryServesNothingButIsLive() {
    try (Workdir workdir = Workdir.open(dir.resolve("work"));
        FlywheelServer server =
            FlywheelServer.start(workdir, ServerConfig.defaults().withPort(0))) {
      Http http = new Http(server.port());

      assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
      assertThat(
              http.post("/v1/models/loans:predict", "{\"instances\": [" + ONE + "]}")
                  .json()
                  .at("/error/message")
                  .asText())
          .contains("no model is in production yet");
    }
  }
}
