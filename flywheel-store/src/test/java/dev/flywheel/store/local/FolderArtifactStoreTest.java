package dev.flywheel.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.InfrastructureException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FolderArtifactStoreTest {

  @TempDir Path dir;
  private Path root;
  private FolderArtifactStore store;

  @BeforeEach
  void create() {
    root = dir.resolve("artifacts");
    store = new FolderArtifactStore(root);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> filesUnderRoot() throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Test
  void readsBackWhatItStored() {
    store.put("models/churn/r-000001/bundle.zip", bytes("zip bytes"));

    assertThat(store.get("models/churn/r-000001/bundle.zip")).isEqualTo(bytes("zip bytes"));
    assertThat(root.resolve("models/churn/r-000001/bundle.zip")).hasContent("zip bytes");
    assertThat(store.exists("models/churn/r-000001/bundle.zip")).isTrue();
    assertThat(store.exists("models/churn/r-000002/bundle.zip")).isFalse();
  }

  @Test
  void storesEmptyAndLargeArtifacts() {
    byte[] large = new byte[5 * 1024 * 1024];
    for (int i = 0; i < large.length; i++) {
      large[i] = (byte) (i * 31);
    }

    store.put("empty", new byte[0]);
    store.put("large.bin", large);

    assertThat(store.get("empty")).isEmpty();
    assertThat(store.get("large.bin")).isEqualTo(large);
  }

  @Test
  void overwritesAnArtifactLeavingNoTemporaryFiles() throws IOException {
    store.put("data/snapshot.csv", bytes("old"));
    store.put("data/snapshot.csv", bytes("new"));
    store.put("data/other.csv", bytes("x"));

    assertThat(store.get("data/snapshot.csv")).isEqualTo(bytes("new"));
    assertThat(filesUnderRoot())
        .containsExactlyInAnyOrder(
            root.resolve("data/snapshot.csv"), root.resolve("data/other.csv"));
    try (Stream<Path> s = Files.list(root.resolve("data"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
  }

  @Test
  void readersNeverSeePartOfAnArtifactWhileItIsReplaced() throws Exception {
    byte[] a = new byte[2 * 1024 * 1024];
    byte[] b = new byte[2 * 1024 * 1024];
    Arrays.fill(a, (byte) 'a');
    Arrays.fill(b, (byte) 'b');
    store.put("bundle.zip", a);
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      Future<?> writer =
          pool.submit(
              () -> {
                try {
                  for (int i = 0; i < 30; i++) {
                    store.put("bundle.zip", i % 2 == 0 ? b : a);
                  }
                } finally {
                  writing.set(false);
                }
              });
      int reads = 0;
      while (writing.get() || reads == 0) {
        byte[] read = store.get("bundle.zip");
        assertThat(Arrays.equals(read, a) || Arrays.equals(read, b))
            .as("read %d holds one whole version", reads)
            .isTrue();
        reads++;
      }
      writer.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(filesUnderRoot()).containsExactly(root.resolve("bundle.zip"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../outside",
        "a/../../outside",
        "a/..",
        "..",
        "/etc/passwd",
        "/tmp/x",
        "",
        "a//b",
        "a/",
        "a\\..\\b",
        "C:/x",
        "a/b c"
      })
  void rejectsKeysThatAreNotSafeRelativePaths(String key) {
    assertThatThrownBy(() -> store.put(key, bytes("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("not a safe relative path");
    assertThatThrownBy(() -> store.get(key)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.exists(key)).isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("outside")).doesNotExist();
  }

  @Test
  void reportsAMissingArtifactNamingItsPath() {
    assertThatThrownBy(() -> store.get("models/churn/r-000009/bundle.zip"))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(root.resolve("models/churn/r-000009/bundle.zip").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void describesAKeyAsItsFile() {
    assertThat(store.describe("models/a/bundle.zip"))
        .isEqualTo(root.resolve("models/a/bundle.zip").toString());
  }

  @Test
  void reportsAWriteThatCannotHappenAsAnInfrastructureFailure() throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("models"), "a file where a folder should be");

    assertThatThrownBy(() -> store.put("models/a/bundle.zip", bytes("x")))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(root.resolve("models/a/bundle.zip").toString());
  }
}
