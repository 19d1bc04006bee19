package dev.flywheel.store.sql;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.serving.FeedbackItem;
import dev.flywheel.core.serving.FeedbackResult;
import dev.flywheel.core.serving.LabelledPrediction;
import dev.flywheel.store.log.BatchedPredictionLog;
import dev.flywheel.store.log.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The feedback statements both feedback stores run: the rules of {@code FeedbackStore#record}
 * (first label wins, unknown ids listed once) in plain SQL that SQLite and PostgreSQL read alike.
 * The stores decide transactions, connections and the SQL of their labelled-rows scans.
 */
public final class FeedbackSql {

  private static final String FIND =
      "SELECT ts FROM predictions WHERE id = ? AND model = ?"; // another model's id is unknown

  private static final String INSERT =
      "INSERT INTO feedback(prediction_id, model, label, received_at, predicted_at)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT(prediction_id) DO NOTHING"; // first label wins

  private FeedbackSql() {}

  /**
   * Checks every item before anything is written.
   *
   * @throws BadInputException naming the first item that lacks its prediction id or label
   */
  public static void check(List<FeedbackItem> items) {
    for (int i = 0; i < items.size(); i++) {
      FeedbackItem item = items.get(i);
      if (item == null || item.predictionId() == null || item.label() == null) {
        throw new BadInputException(
            "feedback item "
                + i
                + (item == null
                    ? " is null"
                    : " lacks its " + (item.predictionId() == null ? "prediction_id" : "label"))
                + ": each item needs {\"prediction_id\": \"…\", \"label\": \"…\"}");
      }
    }
  }

  /**
   * Records checked items in the caller's transaction.
   *
   * @param received the receipt time as {@link Timestamps#format} writes it
   */
  public static FeedbackResult record(
      Connection c, String model, List<FeedbackItem> items, String received) throws SQLException {
    int accepted = 0;
    int duplicates = 0;
    Set<String> unknown = new LinkedHashSet<>();
    try (PreparedStatement find = c.prepareStatement(FIND);
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      for (FeedbackItem item : items) {
        find.setString(1, item.predictionId());
        find.setString(2, model);
        String predictedAt;
        try (ResultSet rs = find.executeQuery()) {
          predictedAt = rs.next() ? rs.getString(1) : null;
        }
        if (predictedAt == null) {
          unknown.add(item.predictionId());
          continue;
        }
        insert.setString(1, item.predictionId());
        insert.setString(2, model);
        insert.setString(3, item.label());
        insert.setString(4, received);
        insert.setString(5, predictedAt);
        if (insert.executeUpdate() == 1) {
          accepted++;
        } else {
          duplicates++;
        }
      }
    }
    return new FeedbackResult(accepted, duplicates, new ArrayList<>(unknown));
  }

  /**
   * Reads labelled predictions from a scan whose columns are the prediction's (as {@link
   * BatchedPredictionLog#read} expects, from column 1), then the label and its receipt time.
   */
  public static List<LabelledPrediction> readAll(PreparedStatement ps, int limit)
      throws SQLException {
    List<LabelledPrediction> out = new ArrayList<>(Math.min(limit, 10_000));
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new LabelledPrediction(
                BatchedPredictionLog.read(rs, 1),
                rs.getString(7),
                Timestamps.parse(rs.getString(8))));
      }
    }
    return out;
  }
}
