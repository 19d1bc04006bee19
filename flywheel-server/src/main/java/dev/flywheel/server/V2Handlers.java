package dev.flywheel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flywheel.core.FlywheelVersion;
import dev.flywheel.core.Json;
import dev.flywheel.core.bundle.InputField;
import dev.flywheel.core.model.Predictions;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol v2 (KServe's): server and model health and metadata, and infer.
 * Inputs are one tensor per feature, named after the column, of shape {@code [N]}; numeric features
 * take FP64/FP32/INT64/INT32, categorical ones BYTES, and {@code null} is missing.
 */
final class V2Handlers {

  private static final Set<String> NUMERIC =
      Set.of(
          "FP64", "FP32", "FP16", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32", "UINT16",
          "UINT8");

  private final LiveModels live;
  private final PredictionService service;
  private final BooleanSupplier ready;

  V2Handlers(LiveModels live, PredictionService service, BooleanSupplier ready) {
    this.live = live;
    this.service = service;
    this.ready = ready;
  }

  void serverMetadata(RoutingContext ctx) {
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("name", "flywheel");
    out.put("version", FlywheelVersion.get());
    out.putArray("extensions");
    Routes.send(ctx, 200, out);
  }

  void live(RoutingContext ctx) {
    Routes.send(ctx, 200, Json.mapper().createObjectNode().put("live", true));
  }

  void ready(RoutingContext ctx) {
    boolean ok = ready.getAsBoolean();
    Routes.send(ctx, ok ? 200 : 503, Json.mapper().createObjectNode().put("ready", ok));
  }

  void modelReady(RoutingContext ctx) {
    ServedModel model = model(ctx);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("name", model.name());
    out.put("ready", true);
    Routes.send(ctx, 200, out);
  }

  void modelMetadata(RoutingContext ctx) {
    ServedModel model = model(ctx);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("name", model.name());
    out.putArray("versions").add(Integer.toString(model.number()));
    out.put("platform", "flywheel-" + model.bundle().manifest().algorithm().specName());
    ArrayNode inputs = out.putArray("inputs");
    for (InputField f : model.inputs()) {
      ObjectNode t = inputs.addObject();
      t.put("name", f.name());
      t.put("datatype", f.type().equals("numeric") ? "FP64" : "BYTES");
      t.putArray("shape").add(-1);
      if (!f.categories().isEmpty()) {
        t.putObject("parameters").set("categories", Json.mapper().valueToTree(f.categories()));
      }
    }
    ArrayNode outputs = out.putArray("outputs");
    if (model.classifier()) {
      tensorSpec(outputs, "label", "BYTES", -1);
      ObjectNode p =
          tensorSpec(
              outputs, "probabilities", "FP64", -1, model.bundle().manifest().classes().size());
      p.putObject("parameters")
          .set("classes", Json.mapper().valueToTree(model.bundle().manifest().classes()));
    } else {
      tensorSpec(outputs, "value", "FP64", -1);
    }
    tensorSpec(outputs, "prediction_id", "BYTES", -1);
    Routes.send(ctx, 200, out);
  }

  private static ObjectNode tensorSpec(ArrayNode into, String name, String type, int... shape) {
    ObjectNode t = into.addObject();
    t.put("name", name);
    t.put("datatype", type);
    ArrayNode s = t.putArray("shape");
    for (int d : shape) {
      s.add(d);
    }
    return t;
  }

  /** {@code POST /v2/models/{name}[/versions/{v}]/infer}. */
  void infer(RoutingContext ctx) {
    long start = System.nanoTime();
    ServedModel model = model(ctx);
    JsonNode body = Routes.json(ctx);
    JsonNode inputs = body.get("inputs");
    if (!body.isObject() || inputs == null || !inputs.isArray()) {
      throw ApiError.badRequest(
          "bad_request",
          "the body must be {\"inputs\": [tensor, ...]}",
          body.isObject() ? "/inputs" : "");
    }
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode t = inputs.get(i);
      JsonNode name = t.get("name");
      if (!t.isObject() || name == null || !name.isTextual()) {
        throw ApiError.badRequest(
            "bad_tensor", "input " + i + " must be a tensor with a name", "/inputs/" + i);
      }
      byName.put(name.textValue(), i);
    }
    List<String> warnings = new ArrayList<>();
    for (String name : byName.keySet()) {
      if (model.inputs().stream().noneMatch(f -> f.name().equals(name))) {
        warnings.add("ignored input tensor '" + name + "': not in the input signature");
      }
    }
    int rows = -1;
    List<Map<String, Object>> values = null;
    for (InputField field : model.inputs()) {
      Integer index = byName.get(field.name());
      if (index == null) {
        throw ApiError.badRequest(
            "missing_feature",
            "input tensor '"
                + field.name()
                + "' is missing ("
                + InstanceReader.describe(field)
                + "; send datatype "
                + (field.type().equals("numeric") ? "FP64" : "BYTES")
                + ")",
            "/inputs");
      }
      String ptr = "/inputs/" + index;
      JsonNode tensor = inputs.get(index);
      String datatype = tensor.path("datatype").asText("");
      boolean numeric = field.type().equals("numeric");
      if (numeric ? !NUMERIC.contains(datatype) : !datatype.equals("BYTES")) {
        throw ApiError.badRequest(
            "wrong_type",
            "input tensor '"
                + field.name()
                + "' has datatype '"
                + datatype
                + "'; "
                + (numeric
                    ? "a numeric feature takes FP64, FP32, INT64 or INT32"
                    : "a categorical feature takes BYTES"),
            ptr + "/datatype");
      }
      List<JsonNode> data = flatten(tensor.get("data"), ptr + "/data");
      checkShape(tensor.get("shape"), data.size(), field.name(), ptr);
      if (rows < 0) {
        rows = data.size();
        values = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
          values.add(new HashMap<>());
        }
      } else if (rows != data.size()) {
        throw ApiError.badRequest(
            "bad_shape",
            "input tensor '"
                + field.name()
                + "' has "
                + data.size()
                + " values but earlier tensors have "
                + rows,
            ptr + "/shape");
      }
      for (int r = 0; r < rows; r++) {
        values
            .get(r)
            .put(
                field.name(),
                InstanceReader.value(data.get(r), field, "row " + r, ptr + "/data/" + r));
      }
    }
    if (rows <= 0) {
      throw ApiError.badRequest("bad_shape", "the input tensors hold no rows", "/inputs");
    }
    List<String> logged = new ArrayList<>(rows);
    for (Map<String, Object> row : values) {
      logged.add(Json.mapper().valueToTree(row).toString());
    }
    PredictionService.Scored scored = service.predict(model, values, logged);

    ObjectNode out = Json.mapper().createObjectNode();
    out.put("model_name", model.name());
    out.put("model_version", Integer.toString(model.number()));
    if (body.hasNonNull("id")) {
      out.set("id", body.get("id"));
    }
    if (!warnings.isEmpty()) {
      out.putObject("parameters").set("warnings", Json.mapper().valueToTree(warnings));
    }
    ArrayNode outputs = out.putArray("outputs");
    switch (scored.predictions()) {
      case Predictions.Probabilities p -> {
        ObjectNode label = tensorSpec(outputs, "label", "BYTES", rows);
        ArrayNode labels = label.putArray("data");
        for (String l : scored.labels()) {
          labels.add(l);
        }
        ObjectNode probs = tensorSpec(outputs, "probabilities", "FP64", rows, p.classes().size());
        probs.putObject("parameters").set("classes", Json.mapper().valueToTree(p.classes()));
        ArrayNode data = probs.putArray("data");
        for (double[] row : p.probabilities()) {
          for (double v : row) {
            data.add(v);
          }
        }
      }
      case Predictions.Values v -> {
        ArrayNode data = tensorSpec(outputs, "value", "FP64", rows).putArray("data");
        for (double d : v.values()) {
          data.add(d);
        }
      }
    }
    ArrayNode ids = tensorSpec(outputs, "prediction_id", "BYTES", rows).putArray("data");
    for (String id : scored.ids()) {
      ids.add(id);
    }
    model.meters().latency().observe((System.nanoTime() - start) / 1e9);
    Routes.send(ctx, 200, out);
  }

  private ServedModel model(RoutingContext ctx) {
    ServedModel model = Routes.served(live, ctx.pathParam("name"));
    String version = ctx.pathParam("version");
    if (version != null && !version.equals(Integer.toString(model.number()))) {
      throw ApiError.notFound(
          "version "
              + version
              + " of '"
              + model.name()
              + "' is not served; the production version is "
              + model.number());
    }
    return model;
  }

  /** Tensor data as a flat row-major list; nested arrays are accepted, as the protocol allows. */
  private static List<JsonNode> flatten(JsonNode data, String pointer) {
    if (data == null || !data.isArray()) {
      throw ApiError.badRequest("bad_tensor", "a tensor needs a data array", pointer);
    }
    List<JsonNode> out = new ArrayList<>(data.size());
    flattenInto(data, out);
    return out;
  }

  private static void flattenInto(JsonNode node, List<JsonNode> out) {
    for (JsonNode n : node) {
      if (n.isArray()) {
        flattenInto(n, out);
      } else {
        out.add(n);
      }
    }
  }

  private static void checkShape(JsonNode shape, int size, String name, String pointer) {
    if (shape == null || !shape.isArray() || shape.isEmpty()) {
      throw ApiError.badRequest(
          "bad_shape",
          "input tensor '" + name + "' needs a shape such as [" + size + "]",
          pointer + "/shape");
    }
    long product = 1;
    for (JsonNode d : shape) {
      product *= d.asLong(-1);
    }
    boolean column = shape.size() == 1 || (shape.size() == 2 && shape.get(1).asLong() == 1);
    if (product != size || !column) {
      throw ApiError.badRequest(
          "bad_shape",
          "input tensor '"
              + name
              + "' has shape "
              + shape
              + " but "
              + size
              + " values; a feature tensor has shape [N] (or [N, 1])",
          pointer + "/shape");
    }
  }
}
