package dev.flywheel.cli;

import dev.flywheel.core.BadInputException;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.store.Workdir;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flywheel serve}: the HTTP server. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Serve the production version of every model over HTTP.",
      "",
      "Endpoints: v1 predict and feedback, the Open Inference Protocol v2, and Prometheus"
          + " metrics (docs/api.md). A version promoted by another process (flywheel run) is"
          + " picked up within 2 seconds. Ctrl-C or SIGTERM stops accepting requests, finishes"
          + " those in flight and flushes the prediction log."
    })
final class ServeCommand extends BaseCommand {

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "The address to bind; 0.0.0.0 serves other hosts (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String host;

  @Option(
      names = "--max-body",
      paramLabel = "BYTES",
      description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).",
      defaultValue = "1048576")
  int maxBody;

  @Override
  int execute() throws InterruptedException {
    if (port < 0 || port > 65535) {
      throw new BadInputException("--port: " + port + " is not a port; use 0 to 65535.");
    }
    if (maxBody < 1024) {
      throw new BadInputException("--max-body: " + maxBody + " is too small; use at least 1024.");
    }
    Workdir workdir = global.openWorkdir();
    FlywheelServer server;
    try {
      server =
          FlywheelServer.start(
              workdir,
              ServerConfig.defaults().withHost(host).withPort(port).withMaxBodyBytes(maxBody));
    } catch (RuntimeException e) {
      workdir.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err().println("flywheel: stopping: finishing requests in flight...");
                  err().flush();
                  server.close();
                  workdir.close();
                  stopped.countDown();
                },
                "flywheel-shutdown"));
    err()
        .printf(
            "flywheel: serving %s on http://%s:%d (Ctrl-C stops)%n",
            server.served().isEmpty() ? "no model yet" : String.join(", ", server.served()),
            host,
            server.port());
    err().flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
