package dev.flywheel.pipeline.retrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.Json;
import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Column;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.MissingValues;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.serving.LabelledPrediction;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns labelled production rows into a {@link Frame} with exactly the source's columns and types,
 * so they can join the source rows: each row is the logged instance (its inputs JSON) with the
 * fed-back label as the target.
 *
 * <p>Values are read as the CSV reader would read the same text, and a value that does not fit its
 * column is <b>treated as missing</b> (and counted), never an error, because a row the server
 * accepted must not stop a retrain:
 *
 * <ul>
 *   <li>numeric column: a JSON number; a string holding a plain number; {@code null} or a
 *       missing-value token is missing. Anything else (other text, a boolean, an object) is
 *       missing, counted.
 *   <li>categorical column: a string (trimmed; a missing-value token is missing); a number or a
 *       boolean becomes its text; {@code null} is missing. An object or an array is missing,
 *       counted.
 *   <li>a column absent from the instance is missing, counted; instance fields that are not source
 *       columns are ignored.
 *   <li>target: the label text (trimmed) for classification; for regression it must parse as a
 *       finite number. A row whose label is missing or does not fit, or whose inputs are not a JSON
 *       object, is left out and counted as unusable.
 * </ul>
 */
final class FeedbackRows {

  /**
   * The usable rows.
   *
   * @param rows the labelled predictions kept, in the order given
   * @param frame one frame row per kept prediction, same order, the source's columns and types
   * @param unusable rows left out
   * @param missingValues feature values read as missing because they were absent or did not fit
   */
  record Converted(List<LabelledPrediction> rows, Frame frame, int unusable, int missingValues) {}

  private FeedbackRows() {}

  static Converted convert(
      Frame source, String target, Task task, List<LabelledPrediction> labelled) {
    List<LabelledPrediction> kept = new ArrayList<>(labelled.size());
    List<JsonNode> instances = new ArrayList<>(labelled.size());
    List<String> labels = new ArrayList<>(labelled.size());
    int unusable = 0;
    for (LabelledPrediction lp : labelled) {
      JsonNode instance = parse(lp.prediction().inputs());
      String label = lp.label() == null ? null : lp.label().strip();
      boolean labelOk =
          !MissingValues.isMissing(label)
              && (task == Task.CLASSIFICATION || !Double.isNaN(number(label)));
      if (instance == null || !instance.isObject() || !labelOk) {
        unusable++;
        continue;
      }
      kept.add(lp);
      instances.add(instance);
      labels.add(label);
    }
    int n = kept.size();
    int missing = 0;
    List<Column> columns = new ArrayList<>(source.columns().size());
    for (Column c : source.columns()) {
      boolean isTarget = c.name().equals(target);
      switch (c) {
        case NumericColumn num -> {
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            if (isTarget) {
              v[i] = number(labels.get(i));
              continue;
            }
            JsonNode node = instances.get(i).get(c.name());
            v[i] = numeric(node);
            if (Double.isNaN(v[i]) && !explicitlyMissing(node)) {
              missing++;
            }
          }
          columns.add(new NumericColumn(num.name(), v));
        }
        case CategoricalColumn cat -> {
          String[] v = new String[n];
          for (int i = 0; i < n; i++) {
            if (isTarget) {
              v[i] = labels.get(i);
              continue;
            }
            JsonNode node = instances.get(i).get(c.name());
            v[i] = categorical(node);
            if (v[i] == null && !explicitlyMissing(node)) {
              missing++;
            }
          }
          columns.add(new CategoricalColumn(cat.name(), v));
        }
      }
    }
    return new Converted(List.copyOf(kept), new Frame(columns), unusable, missing);
  }

  private static JsonNode parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A JSON null, or text that is a missing-value token: missing on purpose, not a misfit. */
  private static boolean explicitlyMissing(JsonNode node) {
    return node != null
        && (node.isNull() || (node.isTextual() && MissingValues.isMissing(node.textValue())));
  }

  private static double numeric(JsonNode node) {
    if (node == null || node.isNull()) {
      return Double.NaN;
    }
    if (node.isNumber()) {
      double d = node.doubleValue();
      return Double.isFinite(d) ? d : Double.NaN;
    }
    if (node.isTextual()) {
      return number(node.textValue());
    }
    return Double.NaN;
  }

  private static String categorical(JsonNode node) {
    if (node == null || node.isNull() || node.isContainerNode()) {
      return null;
    }
    String text = node.asText();
    return MissingValues.isMissing(text) ? null : text.strip();
  }

  /** A plain decimal number as the CSV reader accepts it, else NaN. */
  static double number(String text) {
    if (text == null) {
      return Double.NaN;
    }
    String t = text.strip();
    if (t.isEmpty()) {
      return Double.NaN;
    }
    for (int i = 0; i < t.length(); i++) {
      char ch = t.charAt(i);
      if (!(Character.isDigit(ch)
          || ch == '.'
          || ch == '-'
          || ch == '+'
          || ch == 'e'
          || ch == 'E')) {
        return Double.NaN;
      }
    }
    try {
      double d = Double.parseDouble(t);
      return Double.isFinite(d) ? d : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
