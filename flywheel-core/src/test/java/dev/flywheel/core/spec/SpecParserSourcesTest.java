package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code incremental:} on a source, and {@code sources:} with {@code combine:}. */
class SpecParserSourcesTest {

  private static final Path BASE = Path.of("/project");

  private static final String HEAD =
      """
      name: churn
      task: classification
      target: churned
      """;

  private static PipelineSpec parse(String yaml) {
    return SpecParser.parse(HEAD + yaml, "flywheel.yaml", BASE);
  }

  private static String problems(String yaml) {
    try {
      parse(yaml);
    } catch (BadInputException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the spec to be refused:\n" + yaml);
  }

  @Test
  void anIncrementalSourceWrapsItsKindAndNamesTheWatermark() {
    PipelineSpec spec =
        parse(
            """
            source:
              jdbc: {url: jdbc:postgresql://db:5432/crm, query: SELECT * FROM customers}
              incremental: {watermark: updated_at}
            """);

    assertThat(spec.source())
        .isEqualTo(
            new SourceSpec.Incremental(
                new SourceSpec.Jdbc("jdbc:postgresql://db:5432/crm", "SELECT * FROM customers"),
                "updated_at"));
    assertThat(spec.source().describe())
        .isEqualTo("jdbc:postgresql://db:5432/crm (query) (incremental on updated_at)");
  }

  @Test
  void theSourceIdentityIgnoresReadingOptionsButNotWhereOrTheWatermark() {
    SourceSpec.Jdbc a = new SourceSpec.Jdbc("jdbc:sqlite:/d.db", "SELECT * FROM t");
    SourceSpec.Jdbc bigFetch =
        new SourceSpec.Jdbc("jdbc:sqlite:/d.db", "SELECT * FROM t", null, null, null, 50);
    SourceSpec.Jdbc otherQuery = new SourceSpec.Jdbc("jdbc:sqlite:/d.db", "SELECT * FROM u");

    String id = new SourceSpec.Incremental(a, "id").identity();

    assertThat(id).matches("s-[0-9a-f]{16}");
    assertThat(new SourceSpec.Incremental(bigFetch, "id").identity()).isEqualTo(id);
    assertThat(new SourceSpec.Incremental(otherQuery, "id").identity()).isNotEqualTo(id);
    assertThat(new SourceSpec.Incremental(a, "updated_at").identity()).isNotEqualTo(id);
  }

  @Test
  void severalSourcesCombineByUnionOrByAJoin() {
    PipelineSpec union =
        parse(
            """
            sources:
              - csv: data/2025.csv
              - {jsonl: data/2026.jsonl, incremental: {watermark: id}}
            combine: union
            """);
    PipelineSpec join =
        parse(
            """
            sources:
              - csv: {path: orders.csv, bad_rows: quarantine}
              - csv: {path: customers.csv, bad_rows: quarantine}
            combine: {join: customer_id, how: left}
            """);

    assertThat(union.source())
        .isEqualTo(
            new SourceSpec.Combined(
                List.of(
                    new SourceSpec.Csv(Path.of("/project/data/2025.csv")),
                    new SourceSpec.Incremental(
                        new SourceSpec.Jsonl(Path.of("/project/data/2026.jsonl")), "id")),
                new SourceSpec.Combine.Union()));
    SourceSpec.Combined combined = (SourceSpec.Combined) join.source();
    assertThat(combined.combine())
        .isEqualTo(new SourceSpec.Combine.Join("customer_id", SourceSpec.JoinType.LEFT));
    // Each source of a list quarantines to its own file.
    assertThat(((SourceSpec.Csv) combined.sources().get(0)).quarantine())
        .isEqualTo(Path.of("/project/quarantine/churn-1.jsonl"));
    assertThat(((SourceSpec.Csv) combined.sources().get(1)).quarantine())
        .isEqualTo(Path.of("/project/quarantine/churn-2.jsonl"));
    assertThat(
            ((SourceSpec.Combined)
                    parse("sources: [{csv: a.csv}, {csv: b.csv}]\ncombine: {join: id}\n").source())
                .combine())
        .isEqualTo(new SourceSpec.Combine.Join("id", SourceSpec.JoinType.INNER));
  }

  @Test
  void sourceAndSourcesAreExclusiveAndOneIsRequired() {
    assertThat(problems("source: {csv: a.csv}\nsources: [{csv: a.csv}, {csv: b.csv}]\n"))
        .contains("flywheel.yaml:5: sources: give either source (one source) or sources");
    assertThat(problems("positive: '1'\n"))
        .contains("required key 'source' is missing")
        .contains("sources: [...] with combine: union");
    assertThat(problems("source: {csv: a.csv}\ncombine: union\n"))
        .contains("flywheel.yaml:5: combine: combine goes with sources");
  }

  @Test
  void sourcesNeedAtLeastTwoEntriesAndACombine() {
    assertThat(problems("sources: [{csv: a.csv}]\ncombine: union\n"))
        .contains("flywheel.yaml:4: sources: expected a list of at least two sources")
        .contains("for one source write source: instead");
    assertThat(problems("sources: [{csv: a.csv}, {csv: b.csv}]\n"))
        .contains("required key 'combine' is missing")
        .contains("combine: {join: KEY, how: inner|left}");
    assertThat(problems("sources: [{csv: a.csv}, {csv: b.csv}]\ncombine: join\n"))
        .contains("combine: 'join' is not allowed alone: a join needs its key column");
    assertThat(problems("sources: [{csv: a.csv}, {csv: b.csv}]\ncombine: {join: id, how: outer}\n"))
        .contains("combine.how: 'outer' is not allowed; use inner|left");
    assertThat(problems("sources: [{csv: a.csv}, {csv: b.csv}]\ncombine: {how: left}\n"))
        .contains("required key 'join' is missing under combine");
  }

  @Test
  void problemsInsideAListedSourceNameItsIndexAndLine() {
    String message =
        problems(
            """
            sources:
              - csv: a.csv
              - jdbc: {url: postgres://db/crm, query: SELECT 1}
                incremental: {watermrk: id}
              - {csv: c.csv, tsv: d.tsv}
            combine: union
            """);

    assertThat(message)
        .contains("flywheel.yaml:6: sources[1].jdbc.url: 'postgres://db/crm' is not a JDBC URL")
        .contains("flywheel.yaml:7: sources[1].incremental.watermrk: unknown key 'watermrk'")
        .contains("(did you mean 'watermark'?)")
        .contains("flywheel.yaml:8: sources[2]: must name exactly one source kind");
  }

  @Test
  void incrementalNeedsAWatermarkAndAMapping() {
    assertThat(problems("source: {csv: a.csv, incremental: {}}\n"))
        .contains("required key 'watermark' is missing under source.incremental");
    assertThat(problems("source: {csv: a.csv, incremental: updated_at}\n"))
        .contains("source.incremental: expected a mapping with watermark: COLUMN");
    assertThat(problems("source: {incremental: {watermark: id}}\n"))
        .contains("source: must name exactly one source kind");
  }
}
