package dev.flywheel.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SqliteTest {

  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void timestampsAreFixedWidthTextThatSortsLikeTime() {
    assertThat(Sqlite.timestamp(Instant.parse("2026-11-26T10:00:00Z")))
        .isEqualTo("2026-11-26T10:00:00.000000000Z");
    assertThat(Sqlite.timestamp(Instant.parse("0001-01-01T00:00:00.000000001Z")))
        .isEqualTo("0001-01-01T00:00:00.000000001Z");

    SplittableRandom random = new SplittableRandom(42);
    Instant previous = null;
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              random.nextLong(-62_000_000_000L, 253_402_300_799L),
              random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      String text = Sqlite.timestamp(t);

      assertThat(text).hasSize(30).isEqualTo(REFERENCE.format(t));
      assertThat(Sqlite.instant(text)).isEqualTo(t);
      if (previous != null) {
        assertThat(Integer.signum(text.compareTo(Sqlite.timestamp(previous))))
            .isEqualTo(Integer.signum(t.compareTo(previous)));
      }
      previous = t;
    }
  }
}
