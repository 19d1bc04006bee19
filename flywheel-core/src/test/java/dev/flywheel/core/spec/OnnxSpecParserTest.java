package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.model.Algorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec keys of an {@code algorithm: onnx} candidate; the graph checks are the ML module's. */
class OnnxSpecParserTest {

  @TempDir Path dir;

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: churn.csv}
      candidates:
      """;

  private PipelineSpec parse(String candidates) {
    return SpecParser.parse(HEAD + candidates, "flywheel.yaml", dir);
  }

  @Test
  void onnxCandidateKeepsItsResolvedFileMappingOutputAndClasses() throws IOException {
    Files.createDirectories(dir.resolve("models"));
    Files.write(dir.resolve("models/churn.onnx"), new byte[] {8, 7});

    CandidateSpec c =
        parse(
                """
                  - name: imported
                    algorithm: onnx
                    model: models/churn.onnx
                    inputs: {input: [plan=basic, age], extra: age}
                    output: probabilities
                    classes: ["no", "yes"]
                """)
            .candidates()
            .get(0);

    assertThat(c.algorithm()).isEqualTo(Algorithm.ONNX);
    assertThat(c.params()).isEmpty();
    assertThat(c.combinations()).containsExactly(Map.of());
    assertThat(c.onnx().model()).isEqualTo(dir.resolve("models/churn.onnx"));
    assertThat(c.onnx().inputs())
        .containsExactly(
            Map.entry("input", List.of("plan=basic", "age")), Map.entry("extra", List.of("age")));
    assertThat(c.onnx().output()).isEqualTo("probabilities");
    assertThat(c.onnx().classes()).containsExactly("no", "yes");
  }

  @Test
  void mappingAndOutputAreOptional() throws IOException {
    Files.write(dir.resolve("m.onnx"), new byte[] {1});

    OnnxSpec onnx = parse("  - {algorithm: onnx, model: m.onnx}\n").candidates().get(0).onnx();

    assertThat(onnx.inputs()).isEmpty();
    assertThat(onnx.output()).isNull();
    assertThat(onnx.classes()).isEmpty();
  }

  @Test
  void missingFileIsReportedWithItsLineAndResolvedPath() {
    assertThatThrownBy(() -> parse("  - algorithm: onnx\n    model: nowhere.onnx\n"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("flywheel.yaml:7: candidates[0].model: the ONNX file ")
        .hasMessageContaining(dir.resolve("nowhere.onnx") + " does not exist");
  }

  @Test
  void everyMistakeInAnOnnxCandidateIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                      - algorithm: onnx
                        inputs: {input: []}
                        classes: [a, a]
                        params: {epochs: 3}
                      - algorithm: linear
                        model: x.onnx
                    """))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("candidates[0]: required key 'model' is missing")
        .hasMessageContaining("candidates[0].inputs.input: an empty list feeds nothing")
        .hasMessageContaining("candidates[0].classes: lists a label twice")
        .hasMessageContaining("unknown parameter 'epochs' for onnx")
        .hasMessageContaining("(none: onnx takes no parameters)")
        .hasMessageContaining(
            "candidates[1].model: only an onnx candidate takes 'model'; this one is linear");
  }
}
