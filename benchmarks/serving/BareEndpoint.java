import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;

/**
 * The peer for the serving benchmark: a bare Vert.x endpoint set up exactly as Flywheel's server
 * (one verticle with its HTTP server and router per event loop, the same body handler and
 * route), that parses the same JSON
 * with the same Jackson mapper and answers a fixed prediction of the same size. No model, no
 * validation, no log. Usage: java -cp ... BareEndpoint PORT
 */
public final class BareEndpoint {

  private static final String ANSWER =
      "{\"model\":\"bench\",\"model_version\":1,\"predictions\":[{\"prediction_id\":"
          + "\"01JDX0000000000000000000000\",\"label\":\"1\",\"probabilities\":{\"0\":0.12,\"1\":0.88}}]}";

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int loops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    HttpServerOptions options =
        new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true).setCompressionSupported(false);
    // As Flywheel's server: one verticle (HTTP server and router) per event loop, sharing the port.
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    Router router = Router.router(vertx);
                    router.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
                    router
                        .postWithRegex("/v1/models/(?<name>[a-z0-9][a-z0-9_-]{0,62}):predict")
                        .handler(
                            ctx -> {
                              try {
                                JsonNode body = Json.mapper().readTree(ctx.body().buffer().getBytes());
                                if (!body.get("instances").get(0).isObject()) {
                                  ctx.response().setStatusCode(400).end();
                                  return;
                                }
                              } catch (Exception e) {
                                ctx.response().setStatusCode(400).end();
                                return;
                              }
                              ctx.response().putHeader("content-type", "application/json").end(ANSWER);
                            });
                    return vertx.createHttpServer(options).requestHandler(router).listen(port, "127.0.0.1");
                  }
                },
            new DeploymentOptions().setInstances(loops))
        .await(10, TimeUnit.SECONDS);
    System.err.println("bare endpoint on http://127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
