package dev.flywheel.data.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvProfilerTest {

  @TempDir Path dir;

  private DataProfile profile(String csv) throws IOException {
    Path file = dir.resolve("data.csv");
    Files.writeString(file, csv);
    return CsvProfiler.profile(file, Progress.NONE);
  }

  @Test
  void numericColumnGetsExactCountsMomentsAndQuantiles() throws IOException {
    DataProfile p = profile("x,n,city\n1.5,1,a\n2.5,2,b\n,3,a\n4.0,NA,a\n-1,5,c\n");
    assertThat(p.rows()).isEqualTo(5);
    assertThat(p.unparsed()).isZero();
    var x = (ColumnProfile.Numeric) p.column("x");
    assertThat(x.type()).isEqualTo("numeric");
    assertThat(x.count()).isEqualTo(4);
    assertThat(x.nulls()).isEqualTo(1);
    assertThat(x.distinct()).isEqualTo(4);
    assertThat(x.distinctExact()).isTrue();
    assertThat(x.min()).isEqualTo(-1.0);
    assertThat(x.max()).isEqualTo(4.0);
    assertThat(x.mean()).isCloseTo(1.75, within(1e-12));
    // Sample standard deviation (ddof=1), as pandas' describe: sqrt(13.25 / 3).
    assertThat(x.stddev()).isCloseTo(Math.sqrt(13.25 / 3), within(1e-12));
    assertThat(x.quantiles()).containsOnlyKeys("p01", "p25", "p50", "p75", "p99");
    assertThat(x.quantiles().get("p01")).isEqualTo(-1.0);
    assertThat(x.quantiles().get("p99")).isEqualTo(4.0);
    assertThat(x.quantiles().get("p50")).isIn(1.5, 2.5);
  }

  @Test
  void integerColumnIsTypedIntegerAndTextColumnListsTopValues() throws IOException {
    DataProfile p = profile("x,n,city\n1.5,1,a\n2.5,2,b\n,3,a\n4.0,NA,a\n-1,5,c\n");
    var n = (ColumnProfile.Numeric) p.column("n");
    assertThat(n.type()).isEqualTo("integer");
    assertThat(n.count()).isEqualTo(4);
    assertThat(n.nulls()).isEqualTo(1);
    assertThat(n.mean()).isCloseTo(2.75, within(1e-12));
    var city = (ColumnProfile.Categorical) p.column("city");
    assertThat(city.count()).isEqualTo(5);
    assertThat(city.distinct()).isEqualTo(3);
    assertThat(city.top())
        .extracting(ColumnProfile.Top::value, ColumnProfile.Top::count)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 3L),
            org.assertj.core.groups.Tuple.tuple("b", 1L),
            org.assertj.core.groups.Tuple.tuple("c", 1L));
  }

  @Test
  void quantilesOfAThousandValuesAreWithinTheKllRankError() throws IOException {
    StringBuilder csv = new StringBuilder("v\n");
    // 1..10000 in a scrambled order, so the sketch has to compact.
    for (int i = 0; i < 10_000; i++) {
      csv.append((i * 7919L) % 10_000 + 1).append('\n');
    }
    var v = (ColumnProfile.Numeric) profile(csv.toString()).column("v");
    double err = ColumnStats.rankError() * 10_000;
    for (Map.Entry<String, Double> q :
        Map.of("p01", 100.0, "p25", 2500.0, "p50", 5000.0, "p75", 7500.0, "p99", 9900.0)
            .entrySet()) {
      assertThat(v.quantiles().get(q.getKey())).as(q.getKey()).isCloseTo(q.getValue(), within(err));
    }
    assertThat(v.mean()).isCloseTo(5000.5, within(1e-9));
    assertThat(v.distinct()).isEqualTo(10_000);
  }

  @Test
  void rowsWithTheWrongFieldCountAreCountedWithTheirLineNumbers() throws IOException {
    DataProfile p = profile("a,b\n1,x\n2,y,extra\n3,z\n4\n5,w\n");
    assertThat(p.rows()).isEqualTo(3);
    assertThat(p.unparsed()).isEqualTo(2);
    assertThat(p.unparsedExamples()).extracting(DataProfile.Unparsed::line).containsExactly(3L, 5L);
    assertThat(p.unparsedExamples().getFirst().text()).isEqualTo("2,y,extra");
    assertThat(p.unparsedExamples().getFirst().reason()).contains("3 fields", "header has 2");
    assertThat(p.column("a").count()).isEqualTo(3);
    assertThat(((ColumnProfile.Numeric) p.column("a")).max()).isEqualTo(5.0);
  }

  @Test
  void onlyFiveUnparsedExamplesAreKept() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 8; i++) {
      csv.append("1\n");
    }
    DataProfile p = profile(csv.toString());
    assertThat(p.unparsed()).isEqualTo(8);
    assertThat(p.unparsedExamples()).hasSize(5);
  }

  @Test
  void aTextValueAfterNumbersMakesTheColumnCategoricalAndKeepsTheirCounts() throws IOException {
    DataProfile p = profile("zip\n1000\n1000\n1.50\nA1B\n");
    var zip = (ColumnProfile.Categorical) p.column("zip");
    assertThat(zip.count()).isEqualTo(4);
    assertThat(zip.distinct()).isEqualTo(3);
    assertThat(zip.top().getFirst()).isEqualTo(new ColumnProfile.Top("1000", 2, true));
    assertThat(zip.top()).extracting(ColumnProfile.Top::value).contains("1.5", "A1B");
  }

  @Test
  void manyDistinctValuesAreEstimatedBySketch() throws IOException {
    StringBuilder csv = new StringBuilder("v,s\n");
    for (int i = 0; i < 150_000; i++) {
      csv.append(i).append(".25,k").append(i).append('\n');
    }
    DataProfile p = profile(csv.toString());
    for (String name : List.of("v", "s")) {
      ColumnProfile c = p.column(name);
      assertThat(c.distinctExact()).as(name).isFalse();
      assertThat((double) c.distinct()).as(name).isCloseTo(150_000, within(150_000 * 0.05));
    }
    JsonNode json = p.toJson().get("columns").get(0);
    assertThat(json.has("distinct")).isFalse();
    assertThat(json.get("distinct_estimate").asLong()).isPositive();
  }

  @Test
  void jsonHasTheFieldsOfTheInterface() throws IOException {
    JsonNode json = profile("x,c\n1,a\n2,\n").toJson();
    assertThat(json.get("source").asText()).isEqualTo("data.csv");
    assertThat(json.get("rows").asLong()).isEqualTo(2);
    assertThat(json.get("unparsed").asLong()).isZero();
    assertThat(json.get("unparsed_examples").isArray()).isTrue();
    JsonNode x = json.get("columns").get(0);
    assertThat(x.get("name").asText()).isEqualTo("x");
    assertThat(x.has("distinct")).isTrue();
    assertThat(x.get("quantiles").get("p50").isNumber()).isTrue();
    JsonNode c = json.get("columns").get(1);
    assertThat(c.get("nulls").asLong()).isEqualTo(1);
    assertThat(c.get("top").get(0).get("value").asText()).isEqualTo("a");
  }

  @Test
  void aMissingFileOrAFolderIsBadInput() {
    assertThatThrownBy(() -> CsvProfiler.profile(dir.resolve("nope.csv"), Progress.NONE))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> CsvProfiler.profile(dir, Progress.NONE))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("is a folder");
  }

  @Test
  void numbersParsedFromTheBufferMatchDoubleParseDouble() {
    NumberText parser = NumberText.create();
    for (String s :
        List.of(
            "0",
            "-0",
            "1.",
            ".5",
            "123456789012345678901",
            "0.1",
            "3.14159265358979323846",
            "1e10",
            "-2.5E-3",
            "9007199254740993",
            "1e-400",
            "0.000001234",
            "+7")) {
      char[] c = s.toCharArray();
      assertThat(parser.parse(c, 0, c.length)).as(s).isTrue();
      assertThat(parser.value).as(s).isEqualTo(Double.parseDouble(s));
    }
    for (String s : List.of("1d", "0x10", "Infinity", "1,000", "1e", "-", "1.2.3", "1e999")) {
      char[] c = s.toCharArray();
      assertThat(parser.parse(c, 0, c.length)).as(s).isFalse();
    }
  }

  @Test
  void housingDataMatchesItsKnownCounts() {
    Path housing = findHousing();
    Assumptions.assumeTrue(
        housing != null, "../shared/datasets/housing.csv is absent: skipping the housing profile");
    DataProfile p = CsvProfiler.profile(housing, Progress.NONE);
    assertThat(p.rows()).isEqualTo(20_640);
    assertThat(p.unparsed()).isZero();
    ColumnProfile bedrooms = p.column("total_bedrooms");
    assertThat(bedrooms.type()).isIn("numeric", "integer");
    assertThat(bedrooms.nulls()).isEqualTo(207);
    assertThat(bedrooms.count()).isEqualTo(20_433);
    var ocean = (ColumnProfile.Categorical) p.column("ocean_proximity");
    assertThat(ocean.distinct()).isEqualTo(5);
    assertThat(ocean.top().getFirst()).isEqualTo(new ColumnProfile.Top("<1H OCEAN", 9136, true));
  }

  /** The shared data sets live next to the repository; tests run in the module folder. */
  static Path findHousing() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared/datasets/housing.csv");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
