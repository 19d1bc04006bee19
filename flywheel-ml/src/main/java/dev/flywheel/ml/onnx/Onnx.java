package dev.flywheel.ml.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.Locale;

/**
 * The one ONNX Runtime environment of the process and the session settings Flywheel uses. Each
 * session runs on its caller's thread (one intra-op and one inter-op thread, no spinning), so
 * scoring inside the server never starts thread pools that compete with serving on a small machine;
 * concurrent requests run concurrently, since an ORT session may be shared by threads.
 */
final class Onnx {

  private Onnx() {}

  /** Created on first use: loading the native library costs about 100 ms. */
  private static final class Env {
    // ERROR, not the default WARNING: ORT's native warnings (such as unused initializers) would
    // reach the user's terminal, which DESIGN.md forbids for library chatter.
    static final OrtEnvironment ENV =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "flywheel");
  }

  static OrtEnvironment env() {
    return Env.ENV;
  }

  /** Opens a session over a model's bytes. The caller closes it. */
  static OrtSession open(byte[] bytes) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      return env().createSession(bytes, options);
    }
  }

  /** Whether a value is a float or double tensor: the element types Flywheel feeds and reads. */
  static boolean isRealTensor(NodeInfo node) {
    return node.getInfo() instanceof TensorInfo t
        && (t.type == OnnxJavaType.FLOAT || t.type == OnnxJavaType.DOUBLE);
  }

  /** A value's type and shape as users read them, such as {@code float [batch, 4]}. */
  static String describe(NodeInfo node) {
    ValueInfo info = node.getInfo();
    if (info instanceof TensorInfo t) {
      return typeName(t) + " " + shape(t);
    }
    if (info instanceof SequenceInfo s) {
      return s.sequenceOfMaps
          ? "a sequence of maps (a ZipMap, as sklearn-onnx writes by default)"
          : "a sequence";
    }
    if (info instanceof MapInfo) {
      return "a map";
    }
    return info.toString();
  }

  static String typeName(TensorInfo t) {
    return switch (t.onnxType) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "float";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "double";
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> "string";
      default ->
          t.onnxType
              .name()
              .substring("ONNX_TENSOR_ELEMENT_DATA_TYPE_".length())
              .toLowerCase(Locale.ROOT);
    };
  }

  /** The shape with symbolic dimensions by name, such as {@code [batch, 4]}. */
  static String shape(TensorInfo t) {
    long[] shape = t.getShape();
    String[] names = t.getDimensionNames();
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (shape[i] >= 0) {
        sb.append(shape[i]);
      } else {
        sb.append(names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
      }
    }
    return sb.append(']').toString();
  }
}
