package dev.flywheel.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ONNX graphs made outside Flywheel that its ONNX import is tested against, each with the data
 * it fits. They live under {@code dev/flywheel/testkit/onnx/} with the script that made each (see
 * the README there):
 *
 * <ul>
 *   <li>{@code tribuo-logistic.onnx}: Tribuo 4.3.2 logistic regression, exported by Tribuo. One
 *       input {@code input} float {@code [batch, 4]} fed by {@code segment=a, segment=b, x1, x2};
 *       one output {@code output} float {@code [batch, 2]}, the probabilities of {@code no, yes}.
 *       Data: {@code tribuo-logistic.csv} (x1, x2, segment, churn).
 *   <li>{@code linear-regression.onnx}: built with {@code onnx.helper}. Inputs {@code rooms} and
 *       {@code age}, float {@code [N, 1]} each; output {@code price} float {@code [N, 1]} = 50
 *       rooms - 0.8 age + 30. Data: {@code linear-regression.csv} (rooms, age, price).
 * </ul>
 */
public final class OnnxFixtures {

  public static final String TRIBUO_LOGISTIC = "tribuo-logistic";
  public static final String LINEAR_REGRESSION = "linear-regression";

  private OnnxFixtures() {}

  /** The bytes of a fixture file, such as {@code tribuo-logistic.onnx}. */
  public static byte[] bytes(String file) {
    try (InputStream in = OnnxFixtures.class.getResourceAsStream("onnx/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no ONNX fixture named " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code NAME.onnx} and {@code NAME.csv} into {@code dir}; returns the .onnx path. */
  public static Path copy(String name, Path dir) {
    try {
      Files.write(dir.resolve(name + ".csv"), bytes(name + ".csv"));
      return Files.write(dir.resolve(name + ".onnx"), bytes(name + ".onnx"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
