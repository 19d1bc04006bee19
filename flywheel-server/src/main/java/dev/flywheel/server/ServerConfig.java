package dev.flywheel.server;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FlywheelServer} runs. Use {@link #defaults()} and the {@code with} methods.
 *
 * @param host the interface to bind; 127.0.0.1 by default, 0.0.0.0 to serve other hosts
 * @param port the port; 0 picks a free one
 * @param maxBodyBytes larger request bodies get 413
 * @param pollInterval how often the registry is checked for promotions (notice within 2 s)
 * @param shutdownGrace how long in-flight requests may take to finish on shutdown
 * @param monitorInterval how often every served model's monitoring report is refreshed (2 s)
 * @param clock the clock for prediction times and ids
 */
public record ServerConfig(
    String host,
    int port,
    int maxBodyBytes,
    Duration pollInterval,
    Duration shutdownGrace,
    Duration monitorInterval,
    Clock clock) {

  public ServerConfig {
    Objects.requireNonNull(monitorInterval, "monitorInterval");
    if (monitorInterval.isNegative() || monitorInterval.isZero()) {
      throw new IllegalArgumentException(
          "monitorInterval was " + monitorInterval + " but it must be positive, such as 2s");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        "127.0.0.1",
        8080,
        1 << 20,
        Duration.ofMillis(500),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Clock.systemUTC());
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(
        host, newPort, maxBodyBytes, pollInterval, shutdownGrace, monitorInterval, clock);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(
        newHost, port, maxBodyBytes, pollInterval, shutdownGrace, monitorInterval, clock);
  }

  public ServerConfig withMaxBodyBytes(int bytes) {
    return new ServerConfig(host, port, bytes, pollInterval, shutdownGrace, monitorInterval, clock);
  }

  public ServerConfig withPollInterval(Duration interval) {
    return new ServerConfig(
        host, port, maxBodyBytes, interval, shutdownGrace, monitorInterval, clock);
  }

  public ServerConfig withMonitorInterval(Duration interval) {
    return new ServerConfig(host, port, maxBodyBytes, pollInterval, shutdownGrace, interval, clock);
  }
}
