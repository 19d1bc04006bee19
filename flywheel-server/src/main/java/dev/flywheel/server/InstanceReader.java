package dev.flywheel.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.bundle.InputField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks one v1 instance against a model's input signature and turns it into raw values: a {@code
 * Double} for numeric inputs, text for categorical ones, null for an explicit {@code null} (imputed
 * by the bundle's pipeline). An absent feature or a wrong type is a 400 with a JSON pointer; fields
 * outside the signature are ignored and reported as warnings.
 */
final class InstanceReader {

  private InstanceReader() {}

  static Map<String, Object> read(
      JsonNode instance, int index, String pointer, ServedModel model, List<String> warnings) {
    if (!instance.isObject()) {
      throw ApiError.badRequest(
          "bad_instance",
          "instance " + index + " must be a JSON object of feature values, found " + kind(instance),
          pointer);
    }
    Map<String, Object> row = new HashMap<>();
    for (InputField field : model.inputs()) {
      JsonNode value = instance.get(field.name());
      if (value == null) {
        throw ApiError.badRequest(
            "missing_feature",
            "instance " + index + " lacks '" + field.name() + "' (" + describe(field) + ")",
            pointer);
      }
      row.put(
          field.name(),
          value(value, field, "instance " + index, pointer + "/" + escape(field.name())));
    }
    if (instance.size() > model.inputs().size() || row.size() != instance.size()) {
      List<String> extra = new ArrayList<>();
      for (Iterator<String> it = instance.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!row.containsKey(name)) {
          extra.add(name);
        }
      }
      if (!extra.isEmpty()) {
        warnings.add(
            "instance "
                + index
                + ": ignored fields not in the input signature: "
                + String.join(", ", extra));
      }
    }
    return row;
  }

  /** One value of one feature, checked; used by v1 instances and v2 tensors alike. */
  static Object value(JsonNode value, InputField field, String where, String pointer) {
    if (value.isNull()) {
      return null;
    }
    if (field.type().equals("numeric")) {
      if (!value.isNumber()) {
        throw ApiError.badRequest(
            "wrong_type",
            where
                + ": '"
                + field.name()
                + "' must be a number ("
                + describe(field)
                + "), found "
                + kind(value),
            pointer);
      }
      return value.doubleValue();
    }
    if (!value.isTextual()) {
      throw ApiError.badRequest(
          "wrong_type",
          where
              + ": '"
              + field.name()
              + "' must be a string ("
              + describe(field)
              + "), found "
              + kind(value),
          pointer);
    }
    return value.textValue();
  }

  /** Such as {@code categorical, one of basic|plus|pro} or {@code numeric}. */
  static String describe(InputField field) {
    if (!field.type().equals("categorical")) {
      return field.type();
    }
    List<String> c = field.categories();
    String shown = String.join("|", c.subList(0, Math.min(10, c.size())));
    return "categorical, one of " + shown + (c.size() > 10 ? "|… (" + c.size() + " in all)" : "");
  }

  static String kind(JsonNode node) {
    if (node.isTextual()) {
      String t = node.textValue();
      return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return node.asText();
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }

  /** JSON pointer escaping (RFC 6901). */
  static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }
}
