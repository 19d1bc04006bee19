package dev.flywheel.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.metrics.Metric;
import dev.flywheel.core.model.Algorithm;
import dev.flywheel.core.model.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec contract of INTERFACES.md: required keys, defaults, and errors with lines. */
class SpecParserTest {

  private static final Path BASE = Path.of("/project");

  private static final String MINIMAL =
      """
      name: churn
      task: classification
      target: churned
      source: {csv: data/churn.csv}
      """;

  private static PipelineSpec parse(String yaml) {
    return SpecParser.parse(yaml, "flywheel.yaml", BASE);
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
  void minimalSpecGetsEveryDocumentedDefault() {
    PipelineSpec spec = parse(MINIMAL);

    assertThat(spec.name()).isEqualTo("churn");
    assertThat(spec.task()).isEqualTo(Task.CLASSIFICATION);
    assertThat(spec.target()).isEqualTo("churned");
    assertThat(spec.source()).isEqualTo(new SourceSpec.Csv(Path.of("/project/data/churn.csv")));
    assertThat(spec.positive()).isNull();
    assertThat(spec.split()).isEqualTo(new SplitSpec(0.15, 0.15, 42, "hash", true));
    assertThat(spec.features()).isEqualTo(new FeaturesSpec("median", "most_frequent", "one_hot"));
    assertThat(spec.candidates()).isNull();
    assertThat(spec.selection().metric()).isNull();
    assertThat(spec.selection().metricFor(Task.CLASSIFICATION, 2)).isEqualTo(Metric.AUC);
    assertThat(spec.selection().metricFor(Task.CLASSIFICATION, 3)).isEqualTo(Metric.ACCURACY);
    assertThat(spec.selection().vsProduction())
        .isEqualTo(new SelectionSpec.VsProduction(0.005, 0.95, 1000, 42));
    assertThat(spec.monitoring().drift())
        .isEqualTo(new MonitoringSpec.Drift("psi", 0.2, 1000, 0.0));
    assertThat(spec.monitoring().performance())
        .isEqualTo(new MonitoringSpec.Performance(Metric.ACCURACY, null, 200));
    assertThat(spec.retraining()).isNull();
    assertThat(spec.text()).isEqualTo(MINIMAL);
  }

  @Test
  void regressionDefaultsToRmse() {
    PipelineSpec spec = parse(MINIMAL.replace("classification", "regression"));

    assertThat(spec.selection().metricFor(Task.REGRESSION, 0)).isEqualTo(Metric.RMSE);
    assertThat(spec.monitoring().performance().metric()).isEqualTo(Metric.RMSE);
  }

  @Test
  void fullSpecIsRead() {
    PipelineSpec spec =
        parse(
            """
            name: churn-2
            task: classification
            target: churned
            positive: yes
            source:
              jdbc: {url: "jdbc:sqlite:data.db", query: "SELECT * FROM t"}
            split: {validation: 0.2, test: 0.1, seed: 7, method: hash, stratify: false}
            features: {impute: {numeric: mean, categorical: most_frequent}, encode: one_hot}
            candidates:
              - {name: gbt, algorithm: xgboost, params: {rounds: [100, 200], max_depth: 4, eta: 0.05}}
              - {algorithm: linear, params: {l2: 0.01}}
            selection:
              metric: f1
              min: 0.6
              vs_production: {tolerance: 0.01, confidence: 0.9, resamples: 500, seed: 3}
            monitoring:
              drift: {method: psi, threshold: 0.25, window: 500, share: 0.1}
              performance: {metric: f1, min: 0.5, min_labels: 50}
            retraining: {on: [drift], include_feedback: false, holdout: 0.3, cooldown: 5m}
            """);

    assertThat(spec.positive()).isEqualTo("yes");
    assertThat(spec.source())
        .isEqualTo(new SourceSpec.Jdbc("jdbc:sqlite:/project/data.db", "SELECT * FROM t"));
    assertThat(spec.split()).isEqualTo(new SplitSpec(0.2, 0.1, 7, "hash", false));
    assertThat(spec.features()).isEqualTo(new FeaturesSpec("mean", "most_frequent", "one_hot"));
    assertThat(spec.candidates()).hasSize(2);
    CandidateSpec gbt = spec.candidates().get(0);
    assertThat(gbt.name()).isEqualTo("gbt");
    assertThat(gbt.algorithm()).isEqualTo(Algorithm.XGBOOST);
    assertThat(gbt.combinations())
        .containsExactly(
            Map.of("rounds", 100L, "max_depth", 4L, "eta", 0.05),
            Map.of("rounds", 200L, "max_depth", 4L, "eta", 0.05));
    assertThat(spec.candidates().get(1).name()).isEqualTo("linear");
    assertThat(spec.selection().metric()).isEqualTo(Metric.F1);
    assertThat(spec.selection().min()).isEqualTo(0.6);
    assertThat(spec.selection().vsProduction())
        .isEqualTo(new SelectionSpec.VsProduction(0.01, 0.9, 500, 3));
    assertThat(spec.monitoring().drift())
        .isEqualTo(new MonitoringSpec.Drift("psi", 0.25, 500, 0.1));
    assertThat(spec.monitoring().performance())
        .isEqualTo(new MonitoringSpec.Performance(Metric.F1, 0.5, 50));
    assertThat(spec.retraining())
        .isEqualTo(new RetrainingSpec(List.of("drift"), false, 0.3, Duration.ofMinutes(5)));
  }

  @Test
  void missingRequiredKeysAreAllReportedAtOnce() {
    String message = problems("name: churn\n");

    assertThat(message)
        .contains("3 problems")
        .contains("required key 'task' is missing")
        .contains("required key 'target' is missing")
        .contains("required key 'source' is missing");
  }

  @Test
  void unknownKeyNamesLineAllowedKeysAndNearestMatch() {
    String message = problems(MINIMAL + "selection:\n  metrc: auc\n");

    assertThat(message)
        .contains("flywheel.yaml:6: selection.metrc: unknown key 'metrc' under selection")
        .contains("did you mean 'metric'?")
        .contains("allowed keys: metric, min, max, vs_production");
  }

  @Test
  void wrongTypeNamesTheValueFound() {
    assertThat(problems(MINIMAL + "split: {seed: [1, 2]}\n"))
        .contains("flywheel.yaml:5: split.seed: expected an integer, found a list");
    assertThat(problems(MINIMAL + "split: fast\n"))
        .contains("split: expected a mapping, found the text 'fast'");
  }

  @Test
  void outOfRangeValuesStateTheRule() {
    assertThat(problems(MINIMAL + "split: {validation: 0.6, test: 0.5}\n"))
        .contains("validation + test is 1.1; it must be below 1");
    assertThat(problems(MINIMAL + "monitoring: {drift: {threshold: -1}}\n"))
        .contains("monitoring.drift.threshold: -1.0 is out of range; it must be > 0");
  }

  @Test
  void gateTestIsChosenUnderVsProduction() {
    assertThat(parse(MINIMAL).selection().vsProduction().test())
        .isEqualTo(SelectionSpec.GateTest.PAIRED_BOOTSTRAP);
    assertThat(
            parse(MINIMAL + "selection: {vs_production: {test: mcnemar, tolerance: 0.01}}\n")
                .selection()
                .vsProduction())
        .isEqualTo(
            new SelectionSpec.VsProduction(0.01, 0.95, 1000, 42, SelectionSpec.GateTest.MCNEMAR));
    assertThat(
            parse(MINIMAL + "selection: {vs_production: {test: delong}}\n")
                .selection()
                .vsProduction()
                .test())
        .isEqualTo(SelectionSpec.GateTest.DELONG);
  }

  @Test
  void unknownGateTestNamesTheLineAndTheChoices() {
    assertThat(problems(MINIMAL + "selection:\n  vs_production:\n    test: wilcoxon\n"))
        .contains("flywheel.yaml:7: selection.vs_production.test: 'wilcoxon' is not allowed")
        .contains("use paired_bootstrap|mcnemar|delong");
  }

  @Test
  void classifierTestsAreRefusedForRegression() {
    String regression = MINIMAL.replace("task: classification", "task: regression");
    assertThat(problems(regression + "selection:\n  vs_production: {test: delong}\n"))
        .contains("selection.vs_production.test: delong compares ROC AUC of classifiers")
        .contains("use test: paired_bootstrap");
    assertThat(problems(regression + "selection:\n  vs_production: {test: mcnemar}\n"))
        .contains("mcnemar compares accuracy of classifiers");
  }

  @Test
  void invalidModelNameExplainsTheRule() {
    assertThat(problems(MINIMAL.replace("name: churn", "name: Churn Model")))
        .contains("'Churn Model' is not a valid model name")
        .contains("[a-z0-9][a-z0-9_-]{0,62}");
  }

  @Test
  void metricMustSuitTheTask() {
    assertThat(problems(MINIMAL + "selection: {metric: rmse}\n"))
        .contains("'rmse' is not a metric for classification; use accuracy|balanced_accuracy");
    assertThat(problems(MINIMAL + "selection: {metric: auc, max: 0.5}\n"))
        .contains("use min: instead of max:");
  }

  @Test
  void hyperparametersAreCheckedAgainstTheParameterTable() {
    String message =
        problems(
            MINIMAL
                + "candidates:\n  - algorithm: xgboost\n    params: {max_dept: 4, rounds: 2.5}\n");

    assertThat(message)
        .contains("flywheel.yaml:7: candidates[0].params.max_dept: unknown parameter 'max_dept'")
        .contains("did you mean 'max_depth'?")
        .contains("valid names: rounds, max_depth, eta")
        .contains("candidates[0].params.rounds: 2.5 is not an integer in [1, 5000]");
  }

  @Test
  void unknownAlgorithmListsTheKnownOnes() {
    assertThat(problems(MINIMAL + "candidates: [{algorithm: svm}]\n"))
        .contains("'svm' is not an algorithm; use baseline|linear|xgboost");
  }

  @Test
  void duplicateKeysAndBrokenYamlAreReportedWithTheirLine() {
    assertThat(problems(MINIMAL + "target: other\n"))
        .contains("flywheel.yaml:5: key 'target' appears twice");
    assertThat(problems("name: [unclosed\n")).contains("flywheel.yaml:").contains("not valid YAML");
  }

  @Test
  void sourceMustNameExactlyOneKind() {
    assertThat(
            problems(
                MINIMAL.replace(
                    "{csv: data/churn.csv}", "{csv: a.csv, jdbc: {url: jdbc:x, query: q}}")))
        .contains("must name exactly one source kind");
    assertThat(
            problems(
                MINIMAL.replace("{csv: data/churn.csv}", "{jdbc: {url: postgres://x, query: q}}")))
        .contains("is not a JDBC URL");
  }

  @Test
  void emptyFileIsRefused() {
    assertThatThrownBy(() -> parse(""))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("required key 'name'");
  }

  private static SourceSpec source(String source) {
    return parse(MINIMAL.replace("source: {csv: data/churn.csv}", source)).source();
  }

  private static String sourceProblems(String source) {
    return problems(MINIMAL.replace("source: {csv: data/churn.csv}", source));
  }

  @Test
  void csvLongFormReadsEveryOption() {
    SourceSpec s =
        source(
            """
            source:
              csv:
                path: data/2026-*.csv.gz
                delimiter: ";"
                quote: "'"
                header: false
                encoding: ISO-8859-1
                bad_rows: quarantine
            """);

    assertThat(s)
        .isEqualTo(
            new SourceSpec.Csv(
                Path.of("/project/data/2026-*.csv.gz"),
                ';',
                '\'',
                false,
                java.nio.charset.StandardCharsets.ISO_8859_1,
                SourceSpec.BadRows.QUARANTINE,
                Path.of("/project/quarantine/churn.jsonl")));
  }

  @Test
  void tsvShorthandAndEscapedTabDelimiterBothReadTabs() {
    SourceSpec shorthand = source("source: {tsv: data/x.tsv}");
    SourceSpec longForm = source("source: {csv: {path: data/x.tsv, delimiter: \"\\t\"}}");

    assertThat(shorthand).isEqualTo(longForm);
    assertThat(((SourceSpec.Csv) shorthand).delimiter()).isEqualTo('\t');
    assertThat(((SourceSpec.Csv) shorthand).badRows()).isEqualTo(SourceSpec.BadRows.FAIL);
  }

  @Test
  void jsonlAndParquetTakeAPathOrAMapping() {
    assertThat(source("source: {jsonl: data/x.jsonl}"))
        .isEqualTo(new SourceSpec.Jsonl(Path.of("/project/data/x.jsonl")));
    assertThat(source("source: {jsonl: {path: data/x.jsonl.gz, bad_rows: skip}}"))
        .isEqualTo(
            new SourceSpec.Jsonl(
                Path.of("/project/data/x.jsonl.gz"), SourceSpec.BadRows.SKIP, null));
    assertThat(source("source: {parquet: data/*.parquet}"))
        .isEqualTo(new SourceSpec.Parquet(Path.of("/project/data/*.parquet")));
    assertThat(source("source: {parquet: {path: data/x.parquet}}"))
        .isEqualTo(new SourceSpec.Parquet(Path.of("/project/data/x.parquet")));
  }

  @Test
  void logSourcesTakeAFormatAndForRegexAPattern() {
    assertThat(source("source: {log: {path: logs/access.log*, format: combined}}"))
        .isEqualTo(
            new SourceSpec.Log(
                Path.of("/project/logs/access.log*"), SourceSpec.LogFormat.COMBINED, null));
    assertThat(source("source: {log: {path: app.log, format: json}}"))
        .isEqualTo(
            new SourceSpec.Log(Path.of("/project/app.log"), SourceSpec.LogFormat.JSON, null));
    assertThat(
            source(
                "source: {log: {path: app.log, format: regex, pattern: '(?<level>[A-Z]+) (?<ms>\\d+)'}}"))
        .isEqualTo(
            new SourceSpec.Log(
                Path.of("/project/app.log"),
                SourceSpec.LogFormat.REGEX,
                "(?<level>[A-Z]+) (?<ms>\\d+)"));
  }

  @Test
  void logSourceProblemsNameTheLine() {
    assertThat(
            sourceProblems(
                """
                source:
                  log:
                    path: app.log
                    format: regex
                    pattern: '(?<level>[A-Z+'
                """))
        .contains("flywheel.yaml:8: source.log.pattern: '(?<level>[A-Z+' is not a valid regular")
        .contains("near index");
    assertThat(
            sourceProblems(
                """
                source:
                  log:
                    path: app.log
                    format: regex
                    pattern: '(\\d+) (\\w+)'
                """))
        .contains("flywheel.yaml:8: source.log.pattern: the pattern has no named group");
    assertThat(sourceProblems("source: {log: {path: app.log, format: regex}}"))
        .contains("required key 'pattern' is missing under source.log");
    assertThat(
            sourceProblems("source: {log: {path: app.log, format: combined, pattern: '(?<a>x)'}}"))
        .contains("source.log.pattern: pattern goes with format: regex only");
    assertThat(sourceProblems("source: {log: {path: app.log, format: apache}}"))
        .contains("source.log.format: 'apache' is not allowed; use combined|json|regex");
    assertThat(sourceProblems("source: {log: {path: app.log}}"))
        .contains("required key 'format' is missing under source.log");
    assertThat(sourceProblems("source: {log: {format: json}}"))
        .contains("required key 'path' is missing under source.log");
    assertThat(sourceProblems("source: {log: app.log}"))
        .contains("source.log: expected a mapping with path and format");
  }

  @Test
  void fileSourceProblemsAreAllReportedWithLineAndFix() {
    String message =
        sourceProblems(
            """
            source:
              csv:
                path: data.csv
                delimter: ";"
                quote: "ab"
                header: maybe
                encoding: klingon-8
                bad_rows: ignore
            """);

    assertThat(message)
        .contains("flywheel.yaml:7: source.csv.delimter: unknown key 'delimter' under source.csv")
        .contains("did you mean 'delimiter'?")
        .contains("flywheel.yaml:8: source.csv.quote: 'ab' is not a single character")
        .contains("flywheel.yaml:9: source.csv.header: expected true or false, found the text")
        .contains("flywheel.yaml:10: source.csv.encoding: 'klingon-8' is not a character encoding")
        .contains(
            "flywheel.yaml:11: source.csv.bad_rows: 'ignore' is not allowed; use"
                + " fail|skip|quarantine");
  }

  @Test
  void unknownSourceKindSuggestsTheNearestAndParquetRefusesBadRows() {
    assertThat(sourceProblems("source: {jsonlines: x.jsonl}"))
        .contains("unknown key 'jsonlines' under source")
        .contains("allowed keys: csv, tsv, jsonl, parquet, jdbc");
    assertThat(sourceProblems("source: {parquett: x.parquet}")).contains("did you mean 'parquet'?");
    assertThat(sourceProblems("source: {parquet: {path: x.parquet, bad_rows: skip}}"))
        .contains("source.parquet.bad_rows: Parquet columns are typed");
    assertThat(sourceProblems("source: {jsonl: {bad_rows: skip}}"))
        .contains("required key 'path' is missing under source.jsonl");
    assertThat(sourceProblems("source: {csv: [a.csv, b.csv]}"))
        .contains("source.csv: expected a path, or a mapping with path");
  }

  @Test
  void jdbcTakesATableCredentialVariablesAndAFetchSize() {
    PipelineSpec spec =
        parse(
            MINIMAL.replace(
                "source: {csv: data/churn.csv}",
                "source:\n  jdbc: {url: \"jdbc:postgresql://db:5432/crm\", table: public.customers,"
                    + " user_env: CRM_USER, password_env: CRM_PASSWORD, fetch_size: 500}"));

    assertThat(spec.source())
        .isEqualTo(
            new SourceSpec.Jdbc(
                "jdbc:postgresql://db:5432/crm",
                null,
                "public.customers",
                "CRM_USER",
                "CRM_PASSWORD",
                500));
    assertThat(spec.source().describe())
        .isEqualTo("jdbc:postgresql://db:5432/crm table public.customers");
  }

  @Test
  void jdbcNeedsExactlyOneOfQueryAndTableAndNeverACredential() {
    String both =
        problems(
            MINIMAL.replace(
                "source: {csv: data/churn.csv}",
                "source: {jdbc: {url: \"jdbc:sqlite:x.db\", query: \"SELECT 1\", table: t}}"));
    assertThat(both).contains("give exactly one of query");

    String secret =
        problems(
            MINIMAL.replace(
                "source: {csv: data/churn.csv}",
                "source: {jdbc: {url: \"jdbc:sqlite:x.db\", table: t, password_env: \"s3cr3t!\"}}"));
    assertThat(secret)
        .contains("source.jdbc.password_env", "name of an environment variable")
        .contains("credentials never go in the spec");
  }

  private static String withSource(String source) {
    return MINIMAL.replace("source: {csv: data/churn.csv}", source);
  }

  @Test
  void httpTakesParamsRecordsAuthPaginationAndLimits() {
    PipelineSpec spec =
        parse(
            withSource(
                """
                source:
                  http:
                    url: https://api.example.com/v1/customers
                    params: {status: active, since: 2026}
                    records: /data
                    auth: {api_key_env: CRM_KEY, header: X-Key}
                    pagination: {type: page, param: p, start: 0, size_param: per_page, size: 50}
                    timeout: 10s
                    retries: 3
                    max_pages: 20
                    bad_rows: skip
                """));

    assertThat(spec.source())
        .isEqualTo(
            new SourceSpec.Http(
                "https://api.example.com/v1/customers",
                Map.of("status", "active", "since", "2026"),
                "/data",
                new SourceSpec.Http.HttpAuth(null, "CRM_KEY", "X-Key"),
                new SourceSpec.Http.Pagination.Page("p", 0, "per_page", 50),
                Duration.ofSeconds(10),
                3,
                20,
                SourceSpec.BadRows.SKIP,
                null));
    assertThat(((SourceSpec.Http) spec.source()).params().keySet())
        .containsExactly("status", "since");
    assertThat(spec.source().describe()).isEqualTo("https://api.example.com/v1/customers");
  }

  @Test
  void httpDefaultsAndEachPaginationKind() {
    SourceSpec.Http plain =
        (SourceSpec.Http) parse(withSource("source: {http: {url: \"http://h/x?k=1\"}}")).source();
    assertThat(plain).isEqualTo(new SourceSpec.Http("http://h/x?k=1", ""));
    assertThat(plain.describe()).isEqualTo("http://h/x");

    assertThat(pagination("{type: page}"))
        .isEqualTo(new SourceSpec.Http.Pagination.Page("page", 1, null, 100));
    assertThat(pagination("{type: offset, limit: 20}"))
        .isEqualTo(new SourceSpec.Http.Pagination.Offset("offset", "limit", 20));
    assertThat(pagination("{type: cursor, param: after, cursor: /meta/next}"))
        .isEqualTo(new SourceSpec.Http.Pagination.Cursor("after", "/meta/next"));
    assertThat(pagination("{type: next_link, next: /links/next}"))
        .isEqualTo(new SourceSpec.Http.Pagination.NextLink("/links/next"));
    assertThat(
            ((SourceSpec.Http)
                    parse(withSource("source: {http: {url: \"http://h\", auth: {bearer_env: T}}}"))
                        .source())
                .auth())
        .isEqualTo(new SourceSpec.Http.HttpAuth("T", null, null));
  }

  private static SourceSpec.Http.Pagination pagination(String yaml) {
    return ((SourceSpec.Http)
            parse(withSource("source: {http: {url: \"http://h\", pagination: " + yaml + "}}"))
                .source())
        .pagination();
  }

  @Test
  void httpErrorsNameTheKeyAndLine() {
    String all =
        problems(
            withSource(
                """
                source:
                  http:
                    url: ftp://h/x
                    recods: /data
                    auth: {bearer_env: "abc def", api_key_env: K}
                    pagination: {type: cursor, parm: after}
                    timeout: soon
                    retries: -1
                """));
    assertThat(all)
        .contains("flywheel.yaml:6: source.http.url: 'ftp://h/x' is not an http:// or https:// URL")
        .contains("flywheel.yaml:7: source.http.recods: unknown key 'recods'")
        .contains("(did you mean 'records'?)")
        .contains("source.http.auth: give exactly one of bearer_env")
        .contains("source.http.pagination.parm: unknown key 'parm'")
        .contains("(did you mean 'param'?)")
        .contains("required key 'cursor' is missing under source.http.pagination")
        .contains("source.http.timeout: 'soon' is not a positive duration")
        .contains("source.http.retries: -1 is out of range");

    assertThat(problems(withSource("source: {http: {url: \"http://h\", records: data}}")))
        .contains("source.http.records: 'data' is not a JSON pointer");
    assertThat(
            problems(
                withSource(
                    "source: {http: {url: \"http://h\", auth: {api_key_env: \"sk-123!\"}}}")))
        .contains("source.http.auth.api_key_env", "credentials never go in the spec");
    assertThat(
            problems(withSource("source: {http: {url: \"http://h\", pagination: {type: pages}}}")))
        .contains("source.http.pagination.type: 'pages' is not allowed; use page|offset|cursor");
    assertThat(problems(withSource("source: {htpp: {url: \"http://h\"}}")))
        .contains("(did you mean 'http'?)");
  }
}
