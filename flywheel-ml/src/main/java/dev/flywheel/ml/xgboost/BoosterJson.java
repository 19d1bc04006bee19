package dev.flywheel.ml.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Edits XGBoost's JSON model format. Its one use is keeping the first rounds of a booster that
 * stopped early: XGBoost's Java API cannot slice a booster, and its {@code best_iteration} only
 * limits prediction calls that pass it, not the saved model.
 */
final class BoosterJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BoosterJson() {}

  /**
   * The same model with only its first {@code rounds} boosting rounds: the trees, their output
   * groups and the per-round index are cut, and the tree count updated.
   *
   * @throws IllegalArgumentException if the JSON is not a gbtree model with a per-round index
   */
  static byte[] firstRounds(byte[] json, int rounds) throws IOException {
    JsonNode root = MAPPER.readTree(json);
    JsonNode model = root.path("learner").path("gradient_booster").path("model");
    if (!(model instanceof ObjectNode m)
        || !(m.get("trees") instanceof ArrayNode trees)
        || !(m.get("tree_info") instanceof ArrayNode info)
        || !(m.get("iteration_indptr") instanceof ArrayNode indptr)
        || !(m.get("gbtree_model_param") instanceof ObjectNode param)
        || indptr.size() < rounds + 1) {
      throw new IllegalArgumentException(
          "not an XGBoost gbtree JSON model with at least " + rounds + " rounds");
    }
    int keep = indptr.get(rounds).asInt();
    while (trees.size() > keep) {
      trees.remove(trees.size() - 1);
    }
    while (info.size() > keep) {
      info.remove(info.size() - 1);
    }
    while (indptr.size() > rounds + 1) {
      indptr.remove(indptr.size() - 1);
    }
    param.put("num_trees", Integer.toString(keep));
    return MAPPER.writeValueAsBytes(root);
  }
}
