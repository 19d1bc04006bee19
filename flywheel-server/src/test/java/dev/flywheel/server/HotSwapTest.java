package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.store.Workdir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotions made by another process (here: another workdir instance on the same files, with its
 * own SQLite connection) are picked up while requests flow, and no request fails.
 */
class HotSwapTest {

  @TempDir Path dir;

  private static final String BODY =
      "{\"instances\": [{\"income\": 40000, \"debt_ratio\": 0.5, \"age\": 30, \"plan\": \"plus\","
          + " \"region\": \"south\"}]}";

  @Test
  void promotionsSwapInWithinTwoSecondsAndNoRequestFails() throws Exception {
    Path work = dir.resolve("work");
    try (Workdir trainer = Workdir.open(work);
        Workdir serving = Workdir.open(work)) {
      Models.train(trainer, dir, Models.LOANS);
      try (FlywheelServer server =
          FlywheelServer.start(
              serving,
              ServerConfig.defaults().withPort(0).withPollInterval(Duration.ofMillis(250)))) {
        Http http = new Http(server.port());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
        List<Thread> clients = new java.util.ArrayList<>();
        for (int t = 0; t < 3; t++) {
          Thread client =
              Thread.ofPlatform()
                  .start(
                      () -> {
                        while (running.get()) {
                          try {
                            Http.Response r = http.post("/v1/models/loans:predict", BODY);
                            if (r.status() == 200) {
                              ok.incrementAndGet();
                              versionsSeen.add(r.json().get("model_version").asInt());
                            } else {
                              failures.add(r.status() + " " + r.body());
                            }
                          } catch (RuntimeException e) {
                            failures.add(e.toString());
                          }
                        }
                      });
          clients.add(client);
        }

        while (ok.get() < 20 && failures.isEmpty()) {
          Thread.sleep(10);
        }
        for (int promotion = 2; promotion <= 4; promotion++) {
          Models.train(trainer, dir, Models.LOANS);
          assertThat(
                  trainer
                      .metadata()
                      .alias("loans", MetadataStore.PRODUCTION)
                      .orElseThrow()
                      .version())
              .isEqualTo(promotion);
          long promotedAt = System.nanoTime();
          int served = 0;
          while (served != promotion && System.nanoTime() - promotedAt < 5_000_000_000L) {
            served =
                http.post("/v1/models/loans:predict", BODY).json().get("model_version").asInt();
          }
          double seconds = (System.nanoTime() - promotedAt) / 1e9;
          assertThat(served).isEqualTo(promotion);
          assertThat(seconds).as("noticed the promotion within 2 s").isLessThan(2.0);
        }
        // Let the clients see the last version too before they stop.
        long until = System.nanoTime() + 5_000_000_000L;
        while (!versionsSeen.contains(4) && System.nanoTime() < until) {
          Thread.sleep(10);
        }
        running.set(false);
        for (Thread client : clients) {
          client.join();
        }

        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(30);
        assertThat(versionsSeen).contains(1, 4);
      }
    }
  }
}
