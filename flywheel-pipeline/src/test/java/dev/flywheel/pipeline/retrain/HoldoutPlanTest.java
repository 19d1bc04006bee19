package dev.flywheel.pipeline.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.core.frame.CategoricalColumn;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.NumericColumn;
import dev.flywheel.core.model.Task;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.core.serving.PredictionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading labelled production rows into the source's columns, and choosing the holdout. */
class HoldoutPlanTest {

  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

  /** Source columns: numeric x, categorical c, target y (numeric or categorical). */
  private static Frame source(boolean regression, double... xs) {
    String[] c = new String[xs.length];
    java.util.Arrays.fill(c, "a");
    return new Frame(
        List.of(
            new NumericColumn("x", xs),
            new CategoricalColumn("c", c),
            regression
                ? new NumericColumn("y", new double[xs.length])
                : new CategoricalColumn("y", new String[xs.length])));
  }

  private static LabelledPrediction labelled(int second, String inputs, String label) {
    return new LabelledPrediction(
        new PredictionRecord("p" + second, T0.plusSeconds(second), "m", 1, inputs, "{}"),
        label,
        T0.plusSeconds(1000));
  }

  @Test
  void valuesThatDoNotFitTheirColumnAreMissingAndCountedWhileUnreadableLabelsDropTheRow() {
    List<LabelledPrediction> rows =
        List.of(
            labelled(5, "{\"x\": 1.5, \"c\": \"b\", \"extra\": true}", "2.5"),
            labelled(4, "{\"x\": \"3\", \"c\": 7}", " 4 "),
            labelled(3, "{\"x\": \"high\", \"c\": {\"a\": 1}}", "1"),
            labelled(2, "{\"x\": null, \"c\": \"NA\"}", "1"),
            labelled(1, "{\"c\": \"b\"}", "1"),
            labelled(0, "{\"x\": 1, \"c\": \"b\"}", "lots"),
            labelled(-1, "not json", "1"));

    FeedbackRows.Converted out =
        FeedbackRows.convert(source(true, 1, 2), "y", Task.REGRESSION, rows);

    assertThat(out.unusable()).as("a non-numeric regression label, unreadable inputs").isEqualTo(2);
    assertThat(out.rows()).hasSize(5);
    Frame f = out.frame();
    assertThat(f.names()).containsExactly("x", "c", "y");
    assertThat(f.row(0)).containsEntry("x", 1.5).containsEntry("c", "b").containsEntry("y", 2.5);
    assertThat(f.row(1)).containsEntry("x", 3.0).containsEntry("c", "7").containsEntry("y", 4.0);
    assertThat(f.row(2)).containsEntry("x", null).containsEntry("c", null);
    assertThat(f.row(3)).containsEntry("x", null).containsEntry("c", null);
    assertThat(f.row(4)).containsEntry("x", null).containsEntry("c", "b");
    // "high" and {"a": 1} did not fit; x absent from row 4. Explicit nulls and "NA" are just
    // missing.
    assertThat(out.missingValues()).isEqualTo(3);
  }

  @Test
  void holdoutSkipsRowsTheChampionMayHaveTrainedOnAndTrainingSkipsCopiesOfHoldoutRows() {
    // Newest first: seconds 9..0. x is the content; y the label.
    List<LabelledPrediction> rows = new ArrayList<>();
    double[] xs = {9, 8, 100, 6, 8, 4, 3, 2, 1, 0};
    for (int i = 0; i < xs.length; i++) {
      rows.add(labelled(9 - i, "{\"x\": " + xs[i] + ", \"c\": \"a\"}", "1"));
    }
    // Source row x=100 (label 1) equals the row at second 7: the champion may have trained on it.
    Frame source = source(false, 100);
    ((CategoricalColumn) source.column("y")).values()[0] = "1";
    FeedbackRows.Converted converted = FeedbackRows.convert(source, "y", Task.CLASSIFICATION, rows);

    // The champion trained on production rows up to second 3.
    HoldoutPlan plan = HoldoutPlan.make(source, converted, T0.plusSeconds(3), 0.3, 2, true);

    assertThat(plan.needed()).isEqualTo(3);
    // Eligible: seconds 9, 8, 6, 5 and 4 (7 copies a source row; 3..0 are up to feedback_until).
    assertThat(plan.eligible()).isEqualTo(5);
    assertThat(plan.holdout())
        .extracting(r -> r.prediction().id())
        .containsExactly("p9", "p8", "p6");
    // p5 has x=8 and label 1, a copy of holdout row p8: the challenger must not train on it.
    assertThat(plan.excludedAsHoldoutCopies()).isEqualTo(1);
    assertThat(plan.training())
        .extracting(r -> r.prediction().id())
        .containsExactly("p7", "p4", "p3", "p2", "p1", "p0");
    assertThat(plan.feedbackUntil()).isEqualTo(T0.plusSeconds(7));
    assertThat(plan.from()).isEqualTo(T0.plusSeconds(6));
    assertThat(plan.to()).isEqualTo(T0.plusSeconds(9));
    assertThat(plan.refusal()).isNull();
  }

  @Test
  void tooFewEligibleRowsIsARefusalNamingTheNumbersAndTheFix() {
    List<LabelledPrediction> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(labelled(9 - i, "{\"x\": " + i + ", \"c\": \"a\"}", "1"));
    }
    Frame source = source(false, -1);
    FeedbackRows.Converted converted = FeedbackRows.convert(source, "y", Task.CLASSIFICATION, rows);

    HoldoutPlan plan = HoldoutPlan.make(source, converted, T0.plusSeconds(5), 0.2, 5, true);

    assertThat(plan.eligible()).isEqualTo(4);
    assertThat(plan.holdout()).isEmpty();
    assertThat(plan.training()).isEmpty();
    assertThat(plan.refusal())
        .contains("needs 5 labelled rows", "min_labels 5", "only 4 qualify")
        .contains("feedback_until " + T0.plusSeconds(5))
        .contains("lower retraining.holdout");
  }

  @Test
  void withoutIncludeFeedbackNothingJoinsTrainingAndFeedbackUntilStaysEmpty() {
    List<LabelledPrediction> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(labelled(9 - i, "{\"x\": " + i + ", \"c\": \"a\"}", "0"));
    }
    Frame source = source(false, -1);
    FeedbackRows.Converted converted = FeedbackRows.convert(source, "y", Task.CLASSIFICATION, rows);

    HoldoutPlan plan = HoldoutPlan.make(source, converted, null, 0.2, 1, false);

    assertThat(plan.holdout()).hasSize(2);
    assertThat(plan.training()).isEmpty();
    assertThat(plan.trainingFrame().rowCount()).isZero();
    assertThat(plan.feedbackUntil()).isNull();
  }
}
