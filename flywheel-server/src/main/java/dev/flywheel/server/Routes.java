package dev.flywheel.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes, and the one place where failures become responses: an {@link ApiError} keeps its
 * status and code, a body over the limit is 413, an unknown path 404, a wrong method 405, and
 * anything else is a logged 500 that shows no stack trace.
 */
final class Routes {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  /** Model names as the spec allows them (INTERFACES.md). */
  private static final String NAME = "(?<name>[a-z0-9][a-z0-9_-]{0,62})";

  private Routes() {}

  static Router router(
      Vertx vertx, int maxBodyBytes, V1Handlers v1, V2Handlers v2, ServerMetrics metrics) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    // Only on API paths: a catch-all POST route would turn every unknown GET into a 405.
    // Every API body is JSON, whatever the content type says: `curl -d` sends JSON as a form,
    // and the form decoder would fail on it. Dropping the header makes the body handler keep
    // the raw bytes.
    Handler<RoutingContext> jsonOnly =
        ctx -> {
          ctx.request().headers().remove("content-type");
          ctx.next();
        };
    router.post("/v1/*").handler(jsonOnly);
    router.post("/v2/*").handler(jsonOnly);
    router.post("/v1/*").handler(body);
    router.post("/v2/*").handler(body);

    // In a path, ':predict' would parse as part of a parameter name: a regex route is needed.
    router.postWithRegex("/v1/models/" + NAME + ":predict").handler(safe(v1::predict));
    router.post("/v1/models/:name/feedback").blockingHandler(safe(v1::feedback), false);
    router.get("/v1/models/:name/monitoring").blockingHandler(safe(v1::monitoring), false);

    router.get("/v2").handler(safe(v2::serverMetadata));
    router.get("/v2/health/live").handler(safe(v2::live));
    router.get("/v2/health/ready").handler(safe(v2::ready));
    router.get("/v2/models/:name").handler(safe(v2::modelMetadata));
    router.get("/v2/models/:name/versions/:version").handler(safe(v2::modelMetadata));
    router.get("/v2/models/:name/ready").handler(safe(v2::modelReady));
    router.get("/v2/models/:name/versions/:version/ready").handler(safe(v2::modelReady));
    router.post("/v2/models/:name/infer").handler(safe(v2::infer));
    router.post("/v2/models/:name/versions/:version/infer").handler(safe(v2::infer));

    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", ServerMetrics.CONTENT_TYPE)
                    .end(metrics.scrape()));

    router.route().failureHandler(ctx -> fail(ctx, metrics));
    router.errorHandler(
        404,
        ctx ->
            error(
                ctx,
                metrics,
                new ApiError(
                    404,
                    "not_found",
                    "no endpoint "
                        + ctx.request().method()
                        + " "
                        + ctx.request().path()
                        + "; see docs/api.md",
                    null)));
    router.errorHandler(
        405,
        ctx ->
            error(
                ctx,
                metrics,
                new ApiError(
                    405,
                    "method_not_allowed",
                    ctx.request().method() + " is not allowed on " + ctx.request().path(),
                    null)));
    return router;
  }

  /** Routes exceptions thrown by a handler (on any thread) to the failure handler. */
  private static Handler<RoutingContext> safe(Handler<RoutingContext> handler) {
    return ctx -> {
      try {
        handler.handle(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
      }
    };
  }

  private static void fail(RoutingContext ctx, ServerMetrics metrics) {
    Throwable failure = ctx.failure();
    if (failure instanceof ApiError e) {
      error(ctx, metrics, e);
    } else if (ctx.statusCode() == 413) {
      error(
          ctx,
          metrics,
          new ApiError(413, "body_too_large", "the request body is over the server's limit", null));
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      error(
          ctx,
          metrics,
          new ApiError(ctx.statusCode(), "bad_request", "the request was refused", null));
    } else {
      LOG.error("internal error on {} {}", ctx.request().method(), ctx.request().path(), failure);
      error(
          ctx,
          metrics,
          new ApiError(
              500, "internal", "an internal error occurred; the server log has the details", null));
    }
  }

  static void error(RoutingContext ctx, ServerMetrics metrics, ApiError e) {
    metrics.errors.labelValues(Integer.toString(e.status())).inc();
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", e.code());
    error.put("message", e.getMessage());
    if (e.pointer() != null) {
      error.put("pointer", e.pointer());
    }
    if (e.status() == 503) {
      ctx.response().putHeader("Retry-After", "1");
    }
    if (!ctx.response().ended()) {
      send(ctx, e.status(), body);
    }
  }

  static void send(RoutingContext ctx, int status, JsonNode body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.toString());
  }

  static ServedModel served(LiveModels live, String name) {
    ServedModel model = live.get(name);
    if (model == null) {
      String served =
          live.all().stream().map(ServedModel::name).sorted().collect(Collectors.joining(", "));
      throw ApiError.notFound(
          "model '"
              + name
              + "' is not served"
              + (served.isEmpty()
                  ? "; no model is in production yet"
                  : "; served models: " + served)
              + ". A model is served once a version is promoted to production (flywheel run).");
    }
    return model;
  }

  /** The request body as JSON, or a 400 that says where it broke. */
  static JsonNode json(RoutingContext ctx) {
    Buffer buffer = ctx.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      throw ApiError.badRequest("bad_json", "the request body is empty; send a JSON document", "");
    }
    try {
      JsonNode node = Json.mapper().readTree(buffer.getBytes());
      if (node == null || node.isMissingNode()) {
        throw ApiError.badRequest(
            "bad_json", "the request body is empty; send a JSON document", "");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw ApiError.badRequest(
          "bad_json",
          "the request body is not valid JSON" + where + ": " + e.getOriginalMessage(),
          "");
    } catch (IOException e) {
      throw ApiError.badRequest(
          "bad_json", "the request body cannot be read: " + e.getMessage(), "");
    }
  }
}
