package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the result of a SQL query through any JDBC driver on the class path (SQLite is bundled).
 * Rows are streamed with a fetch size; values are read as text and typed the same way as CSV cells,
 * so a data set gives the same frame whichever way it arrives.
 */
public final class JdbcSource {

  private static final int FETCH_SIZE = 10_000;

  private final String url;
  private final String query;

  public JdbcSource(String url, String query) {
    this.url = url;
    this.query = query;
  }

  public Frame read(Map<String, ColumnType> forced) {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.setFetchSize(FETCH_SIZE);
      ResultSet rs;
      try {
        rs = statement.executeQuery(query);
      } catch (SQLException e) {
        throw new BadInputException(
            "the query in source.jdbc.query failed on "
                + safeUrl()
                + ": "
                + e.getMessage()
                + ". Check the SQL against the database.",
            e);
      }
      try (rs) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String name = meta.getColumnLabel(i);
          if (names.contains(name)) {
            throw new BadInputException(
                "the query in source.jdbc.query returns two columns named '"
                    + name
                    + "'. Give one an alias (SELECT a.id, b.id AS other_id ...).");
          }
          names.add(name);
        }
        FrameBuilder builder = new FrameBuilder(names);
        String[] row = new String[names.size()];
        while (rs.next()) {
          for (int i = 0; i < row.length; i++) {
            row[i] = text(rs.getObject(i + 1));
          }
          builder.add(row);
        }
        if (builder.rowCount() == 0) {
          throw new BadInputException(
              "the query in source.jdbc.query returned no rows from " + safeUrl() + ".");
        }
        return builder.build(forced);
      }
    } catch (SQLException e) {
      throw new InfrastructureException("cannot read from " + safeUrl() + ": " + e.getMessage(), e);
    }
  }

  private static String text(Object value) {
    return switch (value) {
      case null -> null;
      case BigDecimal d -> d.toPlainString();
      case Double d -> d.isNaN() ? null : d.toString();
      case Float f -> f.isNaN() ? null : f.toString();
      default -> value.toString();
    };
  }

  /** The URL without its parameters, which may hold a password. */
  private String safeUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
