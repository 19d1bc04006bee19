package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.pipeline.RunResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text form of a run, from a recorded {@code flywheel run --json} document. */
class RunReportTest {

  /** A run document; {@code %s} is where {@code selected.test_details} goes. */
  private static final String RUN =
      """
      {"run_id": "r-000007", "model": "churn", "task": "classification", "status": "succeeded",
       "dataset": {"rows": 100, "hash": "sha256:00", "splits": {"train": 70, "validation": 15, "test": 15},
                   "missing_target": 0, "duplicates": 0},
       "selection_metric": "auc",
       "leaderboard": [{"candidate": "baseline", "algorithm": "baseline", "params": {},
                        "validation": {"auc": 0.5}, "train_seconds": 0.0}],
       "selected": {"candidate": "baseline", "algorithm": "baseline", "params": {},
                    "validation": {"auc": 0.5}, "test": {"accuracy": 0.6}%s},
       "gate": {"passed": true, "checks": []},
       "model_version": 1, "promoted": true}
      """;

  private static final String DETAILS =
      """
      , "test_details": {"confusion_matrix": {"labels": ["stays", "leaves"], "counts": [[7, 2], [4, 2]]},
                         "calibration": {"strategy": "uniform", "bins": 10, "points": []}}""";

  @Test
  void aClassifierShowsItsTestConfusionMatrixWithTruthByRow() {
    String text = RunReport.text(RunResult.fromJson(RUN.formatted(DETAILS)));

    List<String> lines = text.lines().toList();
    int header = lines.indexOf("confusion matrix on test (rows: truth, columns: predicted)");
    assertThat(header).as(text).isPositive();
    assertThat(lines.get(header + 1).trim().split(" +")).containsExactly("stays", "leaves");
    assertThat(lines.get(header + 2).trim().split(" +")).containsExactly("stays", "7", "2");
    assertThat(lines.get(header + 3).trim().split(" +")).containsExactly("leaves", "4", "2");
    assertThat(lines.get(header + 4)).isEmpty();
    assertThat(lines.get(header + 5)).isEqualTo("gate: passed");
  }

  @Test
  void aRunWithoutTestDetailsHasNoConfusionMatrix() {
    String text = RunReport.text(RunResult.fromJson(RUN.formatted("")));

    assertThat(text).contains("test:     accuracy 0.6000").doesNotContain("confusion matrix");
  }
}
