package dev.flywheel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkdirTest {

  @TempDir Path dir;

  @Test
  void openCreatesTheDatabaseArtifactsAndLogs() {
    Path home = dir.resolve("project/.flywheel");

    try (Workdir w = Workdir.open(home)) {
      assertThat(w.dir()).isEqualTo(home.toAbsolutePath());
      assertThat(home.resolve("flywheel.db")).isRegularFile();
      assertThat(home.resolve("artifacts")).isDirectory();
      assertThat(home.resolve("logs")).isDirectory();
      assertThat(w.logs()).isEqualTo(home.toAbsolutePath().resolve("logs"));
    }
  }

  @Test
  void storesArtifactsUnderArtifactsAndMetadataInFlywheelDb() {
    try (Workdir w = Workdir.open(dir)) {
      w.artifacts().put("models/a/bundle.zip", "zip".getBytes(StandardCharsets.UTF_8));
      w.metadata().createRun("a", "name: a", Instant.EPOCH);
    }

    assertThat(dir.resolve("artifacts/models/a/bundle.zip")).hasContent("zip");
    try (Workdir again = Workdir.open(dir)) {
      assertThat(again.metadata().runs("a")).hasSize(1);
      assertThat(again.artifacts().exists("models/a/bundle.zip")).isTrue();
    }
  }

  @Test
  void normalisesARelativeOrDottedPath() {
    try (Workdir w = Workdir.open(dir.resolve("a/../b"))) {
      assertThat(w.dir()).isEqualTo(dir.resolve("b").toAbsolutePath());
    }
  }

  @Test
  void reportsAWorkdirThatIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");

    assertThatThrownBy(() -> Workdir.open(file))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("--workdir");
  }
}
