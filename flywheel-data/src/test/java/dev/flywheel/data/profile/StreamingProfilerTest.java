package dev.flywheel.data.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingProfilerTest {

  private static final List<String> NAMES = List.of("x", "n", "late_text", "kind");

  /** Rows with numbers, integers, missing cells, a column that turns to text late, and text. */
  private static void feed(StreamingProfiler p, int rows) {
    SplittableRandom random = new SplittableRandom(3);
    for (int r = 0; r < rows; r++) {
      String[] row = {
        r % 97 == 0 ? "NA" : Double.toString(random.nextGaussian()),
        Integer.toString(random.nextInt(50_000)),
        r == 30_001 ? "oops" : r % 5 == 0 ? "1.50" : Integer.toString(r % 300),
        r % 11 == 0 ? null : "k" + random.nextInt(7)
      };
      if (r % 1_000 == 999) {
        p.discardRow(r, "test");
        continue;
      }
      p.add(row);
    }
  }

  private static JsonNode withoutQuantiles(DataProfile profile) {
    ObjectNode json = profile.toJson();
    json.get("columns").forEach(c -> ((ObjectNode) c).remove("quantiles"));
    return json;
  }

  @Test
  void aPipelinedProfileEqualsTheOneThreadProfile() {
    StreamingProfiler one = new StreamingProfiler(NAMES);
    feed(one, 50_000);
    StreamingProfiler two = StreamingProfiler.pipelined(NAMES);
    feed(two, 50_000);

    DataProfile a = one.finish("s");
    DataProfile b = two.finish("s");

    // KLL compaction is randomized, so quantiles may differ within its error; all else is exact.
    assertThat(withoutQuantiles(b)).isEqualTo(withoutQuantiles(a));
    assertThat(b.rows()).isEqualTo(49_950);
    assertThat(b.column("late_text").type()).isEqualTo("categorical");
    // Numbers seen before the text keep their canonical form: 1.50 counts as 1.5.
    assertThat(((ColumnProfile.Categorical) b.column("late_text")).top())
        .anySatisfy(t -> assertThat(t.value()).isEqualTo("1.5"));
    double p50 = ((ColumnProfile.Numeric) b.column("x")).quantiles().get("p50");
    assertThat(p50).isBetween(-0.05, 0.05);
  }
}
