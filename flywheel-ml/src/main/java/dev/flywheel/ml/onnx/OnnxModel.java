package dev.flywheel.ml.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.flywheel.core.Json;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Model;
import dev.flywheel.core.model.Predictions;
import dev.flywheel.core.model.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported ONNX graph, run by ONNX Runtime, behind Flywheel's {@link Model} interface. It
 * gathers its graph inputs from the feature pipeline's vector by {@link Plan}, runs the graph on a
 * whole batch at once (or row by row when the graph fixes its batch size to 1), and reads one
 * output as class probabilities or values.
 *
 * <p>In a bundle the graph is {@code model.onnx}, byte for byte the file the spec named, and the
 * plan is the attachment {@code onnx.json}.
 *
 * <p>The ONNX Runtime session is native memory. {@link #close()} frees it at once; a model that is
 * never closed, such as one the server swapped out while requests may still hold it, frees it when
 * it becomes unreachable, through a {@link Cleaner}. So a swapped-out model is never closed under a
 * request that is still using it.
 */
public final class OnnxModel implements Model, AutoCloseable {

  static final String FILE = "model.onnx";
  static final String PLAN = "onnx.json";

  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * Which vector positions fill one graph input.
   *
   * @param name the graph input
   * @param columns the model inputs (feature-pipeline outputs) that fill it, in order
   * @param indices each column's position in the pipeline's vector
   * @param type {@code float} or {@code double}
   * @param rank 1 for {@code [N]} (one column), 2 for {@code [N, columns]}
   */
  public record Binding(String name, List<String> columns, int[] indices, String type, int rank) {
    public Binding {
      columns = List.copyOf(columns);
    }
  }

  /**
   * How to run the graph and read its answer; stored as {@code onnx.json}.
   *
   * @param task the task
   * @param width the feature pipeline's width
   * @param inputs one binding per graph input
   * @param output the graph output to read
   * @param classes a classifier's labels in Flywheel's order (sorted); empty for regression
   * @param columns for each of {@code classes}, its column in the output; for a one-column binary
   *     output, null: the column is the probability of {@code classes[1]}
   * @param rowByRow true when the graph fixes its batch size to 1
   */
  public record Plan(
      Task task,
      int width,
      List<Binding> inputs,
      String output,
      List<String> classes,
      int[] columns,
      boolean rowByRow) {
    public Plan {
      inputs = List.copyOf(inputs);
      classes = List.copyOf(classes);
    }
  }

  private final byte[] graph;
  private final Plan plan;
  private final OrtSession session;
  private final Cleaner.Cleanable cleanable;

  /**
   * @throws OrtException when ONNX Runtime cannot load the graph
   */
  OnnxModel(byte[] graph, Plan plan) throws OrtException {
    this.graph = graph.clone();
    this.plan = plan;
    this.session = Onnx.open(this.graph);
    this.cleanable = CLEANER.register(this, new CloseSession(session));
  }

  /** Reads a model back from the bundle's {@code model.onnx} and {@code onnx.json}. */
  public static OnnxModel fromBytes(byte[] graph, Map<String, byte[]> attachments, int width) {
    byte[] planBytes = attachments.get(PLAN);
    if (planBytes == null) {
      throw new IllegalArgumentException(
          "an onnx model needs its " + PLAN + " beside " + FILE + ", and the bundle lacks it");
    }
    try {
      Plan plan = Json.mapper().readValue(planBytes, Plan.class);
      if (plan.width() != width) {
        throw new IllegalArgumentException(
            PLAN
                + " gathers inputs from a vector of "
                + plan.width()
                + ", but the bundle's feature pipeline makes "
                + width);
      }
      return new OnnxModel(graph, plan);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime cannot load the bundle's " + FILE + ": " + e.getMessage(), e);
    }
  }

  Plan plan() {
    return plan;
  }

  @Override
  public Algorithm algorithm() {
    return Algorithm.ONNX;
  }

  @Override
  public Task task() {
    return plan.task();
  }

  @Override
  public int width() {
    return plan.width();
  }

  @Override
  public Predictions predict(double[][] x) {
    int n = x.length;
    int outputs =
        plan.task() == Task.REGRESSION || plan.columns() == null ? 1 : plan.columns().length;
    double[] flat = new double[n * outputs];
    try {
      int step = plan.rowByRow() ? 1 : Math.max(n, 1);
      for (int from = 0; from < n; from += step) {
        int rows = Math.min(step, n - from);
        run(x, from, rows, flat, outputs);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to run the imported model: " + e.getMessage(), e);
    } finally {
      // The session is freed by the cleaner once this object is unreachable; keep it reachable
      // until the native call above has returned.
      Reference.reachabilityFence(this);
    }
    if (plan.task() == Task.REGRESSION) {
      return new Predictions.Values(flat);
    }
    double[][] p = new double[n][plan.classes().size()];
    for (int i = 0; i < n; i++) {
      if (plan.columns() == null) {
        p[i][1] = flat[i];
        p[i][0] = 1 - flat[i];
      } else {
        for (int k = 0; k < p[i].length; k++) {
          p[i][k] = flat[i * outputs + plan.columns()[k]];
        }
      }
    }
    return new Predictions.Probabilities(plan.classes(), p);
  }

  /** Runs rows {@code [from, from + rows)} and writes their outputs into {@code flat}. */
  private void run(double[][] x, int from, int rows, double[] flat, int outputs)
      throws OrtException {
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      for (Binding b : plan.inputs()) {
        feed.put(b.name(), tensor(b, x, from, rows));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(plan.output()))) {
        OnnxValue value = result.get(plan.output()).orElseThrow();
        if (!(value instanceof OnnxTensor t)) {
          throw new IllegalStateException(
              "output '" + plan.output() + "' is not a tensor but " + value.getType());
        }
        long[] shape = t.getInfo().getShape();
        long per = 1;
        for (int d = 1; d < shape.length; d++) {
          per *= shape[d];
        }
        if (shape.length == 0 || shape[0] != rows || per != outputs) {
          throw new IllegalStateException(
              "output '"
                  + plan.output()
                  + "' has shape "
                  + java.util.Arrays.toString(shape)
                  + " for "
                  + rows
                  + " rows; expected ["
                  + rows
                  + (outputs == 1 ? "] or [" + rows + ", 1]" : ", " + outputs + "]"));
        }
        int offset = from * outputs;
        if (t.getInfo().type == OnnxJavaType.FLOAT) {
          FloatBuffer fb = t.getFloatBuffer();
          for (int i = 0; i < rows * outputs; i++) {
            flat[offset + i] = fb.get(i);
          }
        } else if (t.getInfo().type == OnnxJavaType.DOUBLE) {
          DoubleBuffer db = t.getDoubleBuffer();
          for (int i = 0; i < rows * outputs; i++) {
            flat[offset + i] = db.get(i);
          }
        } else {
          throw new IllegalStateException(
              "output '"
                  + plan.output()
                  + "' holds "
                  + Onnx.typeName(t.getInfo())
                  + " values; Flywheel reads float or double outputs");
        }
      }
    } finally {
      for (OnnxTensor t : feed.values()) {
        t.close();
      }
    }
  }

  private static OnnxTensor tensor(Binding b, double[][] x, int from, int rows)
      throws OrtException {
    int[] idx = b.indices();
    long[] shape = b.rank() == 1 ? new long[] {rows} : new long[] {rows, idx.length};
    if (b.type().equals("double")) {
      DoubleBuffer buf = DoubleBuffer.allocate(rows * idx.length);
      for (int i = from; i < from + rows; i++) {
        for (int j : idx) {
          buf.put(x[i][j]);
        }
      }
      return OnnxTensor.createTensor(Onnx.env(), buf.flip(), shape);
    }
    FloatBuffer buf = FloatBuffer.allocate(rows * idx.length);
    for (int i = from; i < from + rows; i++) {
      for (int j : idx) {
        buf.put((float) x[i][j]);
      }
    }
    return OnnxTensor.createTensor(Onnx.env(), buf.flip(), shape);
  }

  /** The graph, byte for byte as imported. */
  @Override
  public byte[] toBytes() {
    return graph.clone();
  }

  @Override
  public String fileName() {
    return FILE;
  }

  @Override
  public Map<String, byte[]> attachments() {
    try {
      return Map.of(PLAN, Json.mapper().writeValueAsBytes(plan));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frees the native session now. The model cannot predict afterwards. Idempotent. */
  @Override
  public void close() {
    cleanable.clean();
  }

  /** Closes a session; it must not refer to the model, or the model would never be unreachable. */
  private record CloseSession(OrtSession session) implements Runnable {
    @Override
    public void run() {
      try {
        session.close();
      } catch (OrtException e) {
        // Nothing is left to do with a session that fails to close: it is being dropped.
      }
    }
  }
}
