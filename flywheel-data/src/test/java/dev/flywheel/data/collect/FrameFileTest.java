package dev.flywheel.data.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameFileTest {

  private static Frame sample() {
    return new Frame(
        List.of(
            new NumericColumn("id", new double[] {1, 2, 3, Double.NaN}),
            new NumericColumn("x", new double[] {0.1, -2.5e-300, 1e300, Math.PI}),
            new CategoricalColumn("code", new String[] {"0042", null, "Zürich", ""}),
            new CategoricalColumn(
                "note", new String[] {null, null, "a,\"b\"\nc", "x".repeat(70_000)})));
  }

  @Test
  void aFrameReadsBackExactlyWithItsTypes() {
    Frame frame = sample();

    Frame back = FrameFile.read(FrameFile.write(frame), "test");

    assertThat(back.names()).containsExactly("id", "x", "code", "note");
    assertThat(back.column("code")).isInstanceOf(CategoricalColumn.class); // never re-inferred
    assertThat(((NumericColumn) back.column("x")).values())
        .containsExactly(0.1, -2.5e-300, 1e300, Math.PI);
    assertThat(back.column("id").isMissing(3)).isTrue();
    assertThat(((CategoricalColumn) back.column("code")).values())
        .containsExactly("0042", null, "Zürich", "");
    assertThat(back.contentHash()).isEqualTo(frame.contentHash());
  }

  @Test
  void anEmptyFrameWithColumnsReadsBack() {
    Frame empty = sample().take(new int[0]);

    Frame back = FrameFile.read(FrameFile.write(empty), "test");

    assertThat(back.rowCount()).isZero();
    assertThat(back.names()).containsExactly("id", "x", "code", "note");
  }

  @Test
  void aCutOrDamagedSnapshotIsAnErrorNamingIt() {
    byte[] bytes = FrameFile.write(sample());
    byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
    byte[] flipped = bytes.clone();
    flipped[bytes.length - 12] ^= 0x55; // inside the deflated data or its CRC

    assertThatThrownBy(() -> FrameFile.read(cut, "/w/artifacts/datasets/a.fwframe.gz"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/w/artifacts/datasets/a.fwframe.gz");
    assertThatThrownBy(() -> FrameFile.read(flipped, "snap"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snap");
    assertThatThrownBy(() -> FrameFile.read(new byte[] {1, 2, 3}, "junk"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("junk");
  }
}
