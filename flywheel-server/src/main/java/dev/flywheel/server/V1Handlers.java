package dev.flywheel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.FeedbackStore;
import dev.flywheel.core.serving.PredictionLog;
import dev.flywheel.core.store.MetadataStore;
import dev.flywheel.pipeline.monitor.MonitoringReport;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The v1 JSON API of INTERFACES.md: predict, feedback and monitoring. */
final class V1Handlers {

  private final LiveModels live;
  private final PredictionService service;
  private final PredictionLog log;
  private final FeedbackStore feedback;
  private final MetadataStore metadata;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final MonitoringService monitoring;

  V1Handlers(
      LiveModels live,
      PredictionService service,
      PredictionLog log,
      FeedbackStore feedback,
      MetadataStore metadata,
      ServerMetrics metrics,
      Clock clock,
      MonitoringService monitoring) {
    this.live = live;
    this.service = service;
    this.log = log;
    this.feedback = feedback;
    this.metadata = metadata;
    this.metrics = metrics;
    this.clock = clock;
    this.monitoring = monitoring;
  }

  /** {@code POST /v1/models/{name}:predict}. */
  void predict(RoutingContext ctx) {
    long start = System.nanoTime();
    ServedModel model = Routes.served(live, ctx.pathParam("name"));
    JsonNode body = Routes.json(ctx);
    JsonNode instances = body.get("instances");
    if (!body.isObject() || instances == null || !instances.isArray() || instances.isEmpty()) {
      throw ApiError.badRequest(
          "bad_request",
          "the body must be {\"instances\": [ {feature: value, ...}, ... ]} with at least one"
              + " instance",
          body.isObject() ? "/instances" : "");
    }
    List<String> warnings = new ArrayList<>();
    List<Map<String, Object>> rows = new ArrayList<>(instances.size());
    List<String> inputs = new ArrayList<>(instances.size());
    for (int i = 0; i < instances.size(); i++) {
      JsonNode instance = instances.get(i);
      rows.add(InstanceReader.read(instance, i, "/instances/" + i, model, warnings));
      inputs.add(instance.toString());
    }
    PredictionService.Scored scored = service.predict(model, rows, inputs);

    StringBuilder out = new StringBuilder(64 + 128 * rows.size());
    out.append("{\"model\":");
    JsonText.string(out, model.name());
    out.append(",\"model_version\":").append(model.number()).append(",\"predictions\":[");
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      // {"prediction_id": id, ...the logged answer's fields}
      out.append("{\"prediction_id\":\"").append(scored.ids()[i]).append("\",");
      out.append(scored.outputs()[i], 1, scored.outputs()[i].length());
    }
    out.append(']');
    if (!warnings.isEmpty()) {
      out.append(",\"warnings\":[");
      for (int i = 0; i < warnings.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        JsonText.string(out, warnings.get(i));
      }
      out.append(']');
    }
    out.append('}');
    model.meters().latency().observe((System.nanoTime() - start) / 1e9);
    ctx.response().putHeader("content-type", "application/json").end(out.toString());
  }

  /** {@code POST /v1/models/{name}/feedback}: one object, or an array of them. Blocking. */
  void feedback(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (live.get(name) == null && metadata.versions(name).isEmpty()) {
      throw ApiError.notFound("there is no model '" + name + "' in the registry");
    }
    JsonNode body = Routes.json(ctx);
    List<FeedbackItem> items = new ArrayList<>();
    if (body.isArray()) {
      if (body.isEmpty()) {
        throw ApiError.badRequest("bad_request", "the feedback array is empty", "");
      }
      for (int i = 0; i < body.size(); i++) {
        items.add(item(body.get(i), "/" + i));
      }
    } else {
      items.add(item(body, ""));
    }
    // A prediction answered a moment ago may still be queued for the log: write it first, so
    // its feedback is never counted as unknown.
    log.flush();
    FeedbackResult result = feedback.record(name, items, clock.instant());
    metrics.feedback.labelValues(name, "accepted").inc(result.accepted());
    metrics.feedback.labelValues(name, "duplicate").inc(result.duplicates());
    metrics.feedback.labelValues(name, "unknown").inc(result.unknown().size());
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("accepted", result.accepted());
    out.put("duplicates", result.duplicates());
    out.set("unknown", Json.mapper().valueToTree(result.unknown()));
    Routes.send(ctx, 200, out);
  }

  /**
   * {@code GET /v1/models/{name}/monitoring}: the served version's report, computed now so that it
   * counts every prediction answered before the request. Blocking.
   */
  void monitoring(RoutingContext ctx) {
    ServedModel model = Routes.served(live, ctx.pathParam("name"));
    log.flush();
    MonitoringReport report = monitoring.refresh(model);
    Routes.send(ctx, 200, Json.mapper().valueToTree(report));
  }

  private static FeedbackItem item(JsonNode node, String pointer) {
    if (!node.isObject()) {
      throw ApiError.badRequest(
          "bad_feedback",
          "feedback must be {\"prediction_id\": \"…\", \"label\": \"…\"}, found "
              + InstanceReader.kind(node),
          pointer);
    }
    JsonNode id = node.get("prediction_id");
    if (id == null || !id.isTextual() || id.textValue().isBlank()) {
      throw ApiError.badRequest(
          "bad_feedback",
          "prediction_id must be the id a prediction returned",
          pointer + "/prediction_id");
    }
    JsonNode label = node.get("label");
    String text;
    if (label != null && label.isTextual()) {
      text = label.textValue();
    } else if (label != null && label.isNumber()) {
      double d = label.doubleValue();
      text = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    } else {
      throw ApiError.badRequest(
          "bad_feedback",
          "label must be the true label as a string (or a number for regression), found "
              + (label == null ? "nothing" : InstanceReader.kind(label)),
          pointer + "/label");
    }
    return new FeedbackItem(id.textValue(), text);
  }
}
