package dev.flywheel.ml.xgboost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.Arrays;

/**
 * A pure-Java scorer for an XGBoost {@code gbtree} model, read from XGBoost's own JSON model
 * ({@code booster.toByteArray("json")}). It exists because a JNI call costs 70–120 µs per single
 * row, while this scorer takes about 1 µs for 100 trees of depth 6 ({@code TreeScoringBenchmark}).
 *
 * <p>It reproduces XGBoost's CPU predictor in float32: a feature goes left when {@code (float) x <
 * split_condition}, a missing feature ({@code NaN}) follows {@code default_left}, and each output
 * starts at the base margin and adds one leaf per tree in tree order, in float, as XGBoost does. So
 * margins match XGBoost's bit for bit. The sigmoid and softmax use XGBoost's float formulas too; a
 * probability can differ in its last float bit (about one row in several thousand), where {@code
 * Math.exp} and the C library's {@code expf} round differently. {@code TreeEnsembleTest} checks
 * this against {@code Booster.inplace_predict}.
 *
 * <p>It reads {@code binary:logistic}, {@code multi:softprob} and {@code reg:squarederror}, the
 * objectives {@link XGBoostTrainer} uses, and rejects any other objective, the {@code dart} and
 * {@code gblinear} boosters, categorical splits and multi-target trees with a message that names
 * them.
 *
 * <p>The layout is built for one row at a time, where a plain walk spends most of its time on
 * mispredicted branches and on waiting for each node's load. Nodes live in one flat {@code int[]},
 * four slots per node: the feature to read, the threshold, the offset of the left child (the right
 * child always follows it: each tree is laid out breadth first), and the leaf value. Features and
 * thresholds are compared as order-preserving int keys, and the row is given twice: once with
 * missing values below every threshold, once above. A node whose missing values go left reads the
 * first copy, one whose missing values go right reads the second, so NaN costs nothing per node and
 * the step to a child is branch-free. A leaf is its own child (its threshold is below every key),
 * so each tree can be walked for exactly its depth, eight trees side by side; their loads overlap
 * instead of waiting on each other.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
final class TreeEnsemble {

  /** The objectives this scorer reads, and how each turns margins into outputs. */
  enum Objective {
    BINARY_LOGISTIC("binary:logistic"),
    MULTI_SOFTPROB("multi:softprob"),
    REG_SQUAREDERROR("reg:squarederror");

    private final String xgboostName;

    Objective(String xgboostName) {
      this.xgboostName = xgboostName;
    }

    static Objective parse(String name) {
      for (Objective o : values()) {
        if (o.xgboostName.equals(name)) {
          return o;
        }
      }
      throw new IllegalArgumentException(
          "the XGBoost model has objective '"
              + name
              + "'; Flywheel reads reg:squarederror, binary:logistic and multi:softprob");
    }
  }

  private static final int STRIDE = 4;
  private static final int FEATURE = 0;
  private static final int THRESHOLD = 1;
  private static final int LEFT = 2;
  private static final int LEAF = 3;

  /** Trees walked side by side. */
  private static final int LANES = 8;

  /** The key of a missing value in the copy of the row read by nodes that send missing left. */
  private static final int MISSING_LEFT = Integer.MIN_VALUE;

  /** The key of a missing value in the copy read by nodes that send missing right. */
  private static final int MISSING_RIGHT = Integer.MAX_VALUE;

  /** XGBoost clamps a probability to [kRtEps, 1 - kRtEps] before taking its logit. */
  private static final float RT_EPS = 1e-6f;

  /**
   * Numbers are read as BigDecimal so that each becomes the float that XGBoost wrote (XGBoost
   * prints the shortest decimal that reads back as its float32; going through a double first could
   * round twice).
   */
  private static final ObjectReader READER =
      new ObjectMapper().reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final Objective objective;
  private final int width;
  private final float[] baseMargin;
  private final int[] nodes;
  private final int[] roots;
  private final int[] groups;

  /** For each tree, its depth: how many steps take its root to a leaf on the longest path. */
  private final int[] depths;

  /** For each full block of {@link #LANES} trees, the depth of its deepest tree. */
  private final int[] blockDepths;

  private TreeEnsemble(
      Objective objective,
      int width,
      float[] baseMargin,
      int[] nodes,
      int[] roots,
      int[] groups,
      int[] depths) {
    this.objective = objective;
    this.width = width;
    this.baseMargin = baseMargin;
    this.nodes = nodes;
    this.roots = roots;
    this.groups = groups;
    this.depths = depths;
    this.blockDepths = new int[roots.length / LANES];
    for (int t = 0; t < blockDepths.length * LANES; t++) {
      blockDepths[t / LANES] = Math.max(blockDepths[t / LANES], depths[t]);
    }
  }

  /**
   * Reads XGBoost's JSON model.
   *
   * @throws IllegalArgumentException if the bytes are not an XGBoost JSON model, or the model uses
   *     something this scorer does not reproduce; the message says which
   */
  static TreeEnsemble fromJson(byte[] json) {
    JsonNode root;
    try {
      root = READER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an XGBoost JSON model: " + e.getMessage(), e);
    }
    JsonNode learner = root == null ? null : root.get("learner");
    if (learner == null || !learner.isObject()) {
      throw new IllegalArgumentException(
          "not an XGBoost JSON model: it has no 'learner' object at the top level");
    }
    Objective objective = Objective.parse(learner.path("objective").path("name").asText(""));

    JsonNode param = learner.path("learner_model_param");
    int width = intParam(param, "num_feature", -1);
    if (width < 0) {
      throw new IllegalArgumentException(
          "the XGBoost model has no learner_model_param.num_feature");
    }
    int numClass = intParam(param, "num_class", 0);
    int numTarget = intParam(param, "num_target", 1);
    if (numTarget > 1) {
      throw new IllegalArgumentException(
          "the XGBoost model has " + numTarget + " targets; Flywheel reads one-target models");
    }
    int outputs;
    if (objective == Objective.MULTI_SOFTPROB) {
      if (numClass < 2) {
        throw new IllegalArgumentException(
            "the XGBoost model is multi:softprob with num_class "
                + numClass
                + "; it must be at least 2");
      }
      outputs = numClass;
    } else {
      outputs = 1;
    }
    float[] baseMargin = baseMargin(objective, baseScore(param.path("base_score"), outputs));

    JsonNode booster = learner.path("gradient_booster");
    String boosterName = booster.path("name").asText("");
    if (!boosterName.equals("gbtree")) {
      throw new IllegalArgumentException(
          "the XGBoost model uses the '"
              + boosterName
              + "' booster; Flywheel's tree scorer reads gbtree only");
    }
    JsonNode model = booster.path("model");
    JsonNode trees = model.path("trees");
    JsonNode treeInfo = model.path("tree_info");
    if (!trees.isArray() || !treeInfo.isArray() || trees.size() != treeInfo.size()) {
      throw new IllegalArgumentException(
          "the XGBoost model's gradient_booster.model must have arrays 'trees' and 'tree_info' of"
              + " the same length");
    }

    // Sized by the arrays actually present (layOut checks num_nodes against them), so that a
    // corrupt num_nodes cannot make it allocate more than the file holds.
    long capacity = 0;
    for (JsonNode tree : trees) {
      capacity += tree.path("left_children").size();
    }
    if (capacity * STRIDE > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "the XGBoost model has "
              + capacity
              + " nodes; Flywheel's tree scorer takes at most "
              + (Integer.MAX_VALUE - 8) / STRIDE);
    }
    int[] nodes = new int[(int) capacity * STRIDE];
    int[] roots = new int[trees.size()];
    int[] groups = new int[trees.size()];
    int[] depths = new int[trees.size()];
    int used = 0;
    for (int t = 0; t < trees.size(); t++) {
      int group = treeInfo.get(t).asInt(-1);
      if (group < 0 || group >= outputs) {
        throw new IllegalArgumentException(
            "tree " + t + " adds to output " + group + "; the model has " + outputs + " outputs");
      }
      groups[t] = group;
      roots[t] = used * STRIDE;
      int[] size = layOut(trees.get(t), t, width, nodes, used);
      used += size[0];
      depths[t] = size[1];
    }
    return new TreeEnsemble(
        objective, width, baseMargin, Arrays.copyOf(nodes, used * STRIDE), roots, groups, depths);
  }

  /**
   * Copies one tree into {@code nodes} from node slot {@code start}, breadth first, so that each
   * right child follows its left sibling. Nodes that the root cannot reach (deleted ones) are left
   * out.
   *
   * @return how many nodes it wrote, and the tree's depth
   */
  private static int[] layOut(JsonNode tree, int t, int width, int[] nodes, int start) {
    int n = intParam(tree.path("tree_param"), "num_nodes", -1);
    if (n < 1) {
      throw new IllegalArgumentException("tree " + t + " has no tree_param.num_nodes");
    }
    int sizeLeafVector = intParam(tree.path("tree_param"), "size_leaf_vector", 1);
    if (sizeLeafVector > 1) {
      throw new IllegalArgumentException(
          "tree " + t + " is a multi-target tree; Flywheel's tree scorer reads scalar leaves only");
    }
    int[] left = ints(tree, "left_children", n, t);
    int[] right = ints(tree, "right_children", n, t);
    int[] feature = ints(tree, "split_indices", n, t);
    int[] defaultLeft = ints(tree, "default_left", n, t);
    // For a leaf XGBoost keeps the leaf value where a split keeps its threshold.
    float[] value = floats(tree, "split_conditions", n, t);
    JsonNode splitType = tree.path("split_type");
    for (JsonNode s : splitType) {
      if (s.asInt() != 0) {
        throw new IllegalArgumentException(
            "tree "
                + t
                + " has categorical splits; Flywheel's tree scorer reads numeric ones only");
      }
    }

    int[] order = new int[n];
    int[] level = new int[n];
    boolean[] placed = new boolean[n];
    placed[0] = true;
    int next = 1;
    int depth = 0;
    for (int p = 0; p < next; p++) {
      int old = order[p];
      int at = (start + p) * STRIDE;
      if (left[old] == -1) {
        // A leaf: no key is below its threshold, so a step from it goes to "left + 1": itself.
        nodes[at + FEATURE] = 0;
        nodes[at + THRESHOLD] = MISSING_LEFT;
        nodes[at + LEFT] = at - STRIDE;
        nodes[at + LEAF] = Float.floatToRawIntBits(value[old]);
        continue;
      }
      int l = left[old];
      int r = right[old];
      if (l < 0 || l >= n || r < 0 || r >= n || l == r || placed[l] || placed[r]) {
        throw new IllegalArgumentException(
            "tree "
                + t
                + " node "
                + old
                + " has children "
                + l
                + " and "
                + r
                + "; each must be a distinct unused node in [0, "
                + n
                + ")");
      }
      if (feature[old] < 0 || feature[old] >= width) {
        throw new IllegalArgumentException(
            "tree "
                + t
                + " node "
                + old
                + " splits on feature "
                + feature[old]
                + "; the model has "
                + width
                + " features");
      }
      if (Float.isNaN(value[old])) {
        throw new IllegalArgumentException(
            "tree " + t + " node " + old + " has threshold NaN; a split needs a number");
      }
      placed[l] = true;
      placed[r] = true;
      order[next] = l;
      order[next + 1] = r;
      level[next] = level[p] + 1;
      level[next + 1] = level[p] + 1;
      depth = Math.max(depth, level[p] + 1);
      nodes[at + FEATURE] = defaultLeft[old] != 0 ? feature[old] : width + feature[old];
      nodes[at + THRESHOLD] = key(value[old]);
      nodes[at + LEFT] = (start + next) * STRIDE;
      next += 2;
    }
    return new int[] {next, depth};
  }

  /**
   * An int that orders like the float: {@code key(a) < key(b)} exactly when {@code a < b}, for
   * every non-NaN float ({@code -0.0} and {@code 0.0} share a key, as they compare equal). Every
   * key lies strictly between {@link #MISSING_LEFT} and {@link #MISSING_RIGHT}.
   */
  private static int key(float x) {
    int bits = Float.floatToRawIntBits(x == 0.0f ? 0.0f : x);
    return bits >= 0 ? bits : bits ^ Integer.MAX_VALUE;
  }

  /**
   * The base score as XGBoost stores it: a number, or a string holding a number or a bracketed
   * vector with one entry per output ({@code "[5E-1]"}, {@code "[1E-1,2E-1,-3E-1]"}).
   */
  private static float[] baseScore(JsonNode node, int outputs) {
    String[] parts;
    if (node.isNumber()) {
      parts = new String[] {node.asText()};
    } else if (node.isTextual()) {
      String text = node.asText().trim();
      if (text.startsWith("[") && text.endsWith("]")) {
        text = text.substring(1, text.length() - 1);
      }
      parts = text.split(",");
    } else {
      throw new IllegalArgumentException("the XGBoost model has no learner_model_param.base_score");
    }
    float[] values = new float[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        values[i] = Float.parseFloat(parts[i].trim());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the XGBoost model's base_score '" + node.asText() + "' is not a number or a vector", e);
    }
    if (values.length == outputs) {
      return values;
    }
    if (values.length == 1) {
      float[] all = new float[outputs];
      Arrays.fill(all, values[0]);
      return all;
    }
    throw new IllegalArgumentException(
        "the XGBoost model's base_score has "
            + values.length
            + " entries; the model has "
            + outputs
            + " outputs");
  }

  /**
   * The margin each output starts from. For binary:logistic XGBoost stores the base score as a
   * probability; for reg:squarederror it is the value itself; for multi:softprob it stores one
   * margin per class (log class shares, centred).
   */
  private static float[] baseMargin(Objective objective, float[] baseScore) {
    if (objective != Objective.BINARY_LOGISTIC) {
      return baseScore;
    }
    float p = Math.min(Math.max(baseScore[0], RT_EPS), 1.0f - RT_EPS);
    // XGBoost's own expression, in float: -log(1/p - 1). The algebraically equal log(p / (1 - p))
    // lands a few float steps away, and the sums of the trees then round differently.
    return new float[] {-(float) Math.log(1.0f / p - 1.0f)};
  }

  private static int intParam(JsonNode parent, String name, int fallback) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (node.isNumber()) {
      return node.asInt();
    }
    try {
      return Integer.parseInt(node.asText().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "the XGBoost model's " + name + " '" + node.asText() + "' is not an integer", e);
    }
  }

  private static JsonNode array(JsonNode tree, String name, int n, int t) {
    JsonNode a = tree.path(name);
    if (!a.isArray() || a.size() != n) {
      throw new IllegalArgumentException(
          "tree " + t + " must have an array '" + name + "' of " + n + " entries (num_nodes)");
    }
    return a;
  }

  private static int[] ints(JsonNode tree, String name, int n, int t) {
    JsonNode a = array(tree, name, n, t);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      JsonNode v = a.get(i);
      out[i] = v.isBoolean() ? (v.booleanValue() ? 1 : 0) : v.asInt();
    }
    return out;
  }

  private static float[] floats(JsonNode tree, String name, int n, int t) {
    JsonNode a = array(tree, name, n, t);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      JsonNode v = a.get(i);
      if (!v.isNumber()) {
        throw new IllegalArgumentException(
            "tree " + t + " " + name + "[" + i + "] is " + v + ", not a number");
      }
      // Exact: a BigDecimal's text read as float is the float nearest the decimal XGBoost wrote.
      out[i] = Float.parseFloat(v.asText());
    }
    return out;
  }

  Objective objective() {
    return objective;
  }

  /** How many inputs a row must have (XGBoost's {@code num_feature}). */
  int width() {
    return width;
  }

  /** How many numbers a row's output has: the class count for multi:softprob, else 1. */
  int outputs() {
    return baseMargin.length;
  }

  int trees() {
    return roots.length;
  }

  /**
   * Writes the raw margins of one row (before the sigmoid or softmax) into {@code out}, summed in
   * float32 in XGBoost's order.
   *
   * @param row {@link #width()} features, {@code NaN} where missing
   * @param out {@link #outputs()} slots
   */
  void margins(float[] row, float[] out) {
    int[] keys = new int[2 * width];
    for (int j = 0; j < width; j++) {
      float x = row[j];
      boolean missing = Float.isNaN(x);
      keys[j] = missing ? MISSING_LEFT : key(x);
      keys[width + j] = missing ? MISSING_RIGHT : key(x);
    }
    System.arraycopy(baseMargin, 0, out, 0, baseMargin.length);
    int[] nodes = this.nodes;
    int[] roots = this.roots;
    int[] groups = this.groups;
    int t = 0;
    for (int b = 0; b < blockDepths.length; b++, t += LANES) {
      int n0 = roots[t];
      int n1 = roots[t + 1];
      int n2 = roots[t + 2];
      int n3 = roots[t + 3];
      int n4 = roots[t + 4];
      int n5 = roots[t + 5];
      int n6 = roots[t + 6];
      int n7 = roots[t + 7];
      for (int d = blockDepths[b]; d > 0; d--) {
        n0 = step(nodes, keys, n0);
        n1 = step(nodes, keys, n1);
        n2 = step(nodes, keys, n2);
        n3 = step(nodes, keys, n3);
        n4 = step(nodes, keys, n4);
        n5 = step(nodes, keys, n5);
        n6 = step(nodes, keys, n6);
        n7 = step(nodes, keys, n7);
      }
      // Added in tree order, as XGBoost adds them: float sums depend on the order.
      out[groups[t]] += leaf(nodes, n0);
      out[groups[t + 1]] += leaf(nodes, n1);
      out[groups[t + 2]] += leaf(nodes, n2);
      out[groups[t + 3]] += leaf(nodes, n3);
      out[groups[t + 4]] += leaf(nodes, n4);
      out[groups[t + 5]] += leaf(nodes, n5);
      out[groups[t + 6]] += leaf(nodes, n6);
      out[groups[t + 7]] += leaf(nodes, n7);
    }
    for (; t < roots.length; t++) {
      int n = roots[t];
      for (int d = depths[t]; d > 0; d--) {
        n = step(nodes, keys, n);
      }
      out[groups[t]] += leaf(nodes, n);
    }
  }

  /** One level down: to the left child if the row's key is below the threshold, else the right. */
  private static int step(int[] nodes, int[] keys, int n) {
    return nodes[n + LEFT] + (keys[nodes[n + FEATURE]] < nodes[n + THRESHOLD] ? 0 : STRIDE);
  }

  private static float leaf(int[] nodes, int n) {
    return Float.intBitsToFloat(nodes[n + LEAF]);
  }

  /**
   * Writes one row's outputs into {@code out}: the probability of the positive class for
   * binary:logistic, the class probabilities for multi:softprob, the value for reg:squarederror.
   * These are the numbers XGBoost's {@code predict} returns.
   */
  void predict(float[] row, float[] out) {
    margins(row, out);
    switch (objective) {
      case BINARY_LOGISTIC -> out[0] = sigmoid(out[0]);
      case MULTI_SOFTPROB -> softmax(out);
      case REG_SQUAREDERROR -> {}
    }
  }

  private static float sigmoid(float x) {
    return 1.0f / (1.0f + (float) Math.exp(-x));
  }

  /** XGBoost's softmax: float exponentials of the shifted margins, summed in double. */
  private static void softmax(float[] z) {
    float max = z[0];
    for (int k = 1; k < z.length; k++) {
      max = Math.max(z[k], max);
    }
    double sum = 0.0;
    for (int k = 0; k < z.length; k++) {
      z[k] = (float) Math.exp(z[k] - max);
      sum += z[k];
    }
    float total = (float) sum;
    for (int k = 0; k < z.length; k++) {
      z[k] /= total;
    }
  }
}
