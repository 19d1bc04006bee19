package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.FrameBuilder;
import dev.flywheel.core.spec.SourceSpec;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads Parquet files through DuckDB, in-process and in memory ({@code jdbc:duckdb:}). The Parquet
 * reader is built into DuckDB; extension auto-install is switched off, so nothing is downloaded at
 * run time. Rows are streamed from {@code read_parquet}. Numbers stay numbers, text stays text,
 * dates and timestamps become ISO-8601 text, booleans the text {@code true}/{@code false}, null is
 * missing. A glob reads every match in sorted order; all must have the same columns.
 */
public final class ParquetSource {

  private static final int FETCH_SIZE = 10_000;

  private final SourceSpec.Parquet spec;

  public ParquetSource(SourceSpec.Parquet spec) {
    this.spec = spec;
  }

  public Collected collect(Map<String, ColumnType> forced) {
    FrameBuilder[] builder = new FrameBuilder[1];
    List<Path> files =
        stream(
            new JdbcSource.Rows() {
              @Override
              public void columns(List<String> names) {
                builder[0] = new FrameBuilder(names);
              }

              @Override
              public void row(String[] cells) {
                builder[0].add(cells);
              }
            });
    if (builder[0].rowCount() == 0) {
      throw new BadInputException(
          (files.size() == 1 ? files.get(0).toString() : spec.path().toString()) + " has no rows.");
    }
    return new Collected(builder[0].build(forced), 0, null);
  }

  /**
   * Reads every file, handing the columns and then each row to {@code rows} as DuckDB streams them.
   *
   * @return the files read
   */
  public List<Path> stream(JdbcSource.Rows rows) {
    List<Path> files = SourceFiles.expand(spec.path(), "source.parquet");
    Properties props = new Properties();
    // Stream results instead of materialising the whole query first.
    props.setProperty("jdbc_stream_results", "true");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:", props)) {
      try (Statement s = connection.createStatement()) {
        s.execute("SET autoinstall_known_extensions = false");
        s.execute("SET autoload_known_extensions = false");
      }
      List<String> names = null;
      Path first = null;
      for (Path file : files) {
        List<String> these = columns(connection, file);
        if (names == null) {
          names = these;
          first = file;
        } else if (!these.equals(names)) {
          throw new BadInputException(
              file
                  + ": the columns ("
                  + String.join(", ", these)
                  + ") differ from those of "
                  + first
                  + " ("
                  + String.join(", ", names)
                  + "). Files read together by a glob must have the same columns in the same"
                  + " order.");
        }
      }
      rows.columns(names);
      String[] row = new String[names.size()];
      for (Path file : files) {
        try (Statement statement = connection.createStatement()) {
          statement.setFetchSize(FETCH_SIZE);
          try (ResultSet rs = statement.executeQuery("SELECT * FROM " + reader(file))) {
            while (rs.next()) {
              for (int i = 0; i < row.length; i++) {
                row[i] = text(rs.getObject(i + 1));
              }
              rows.row(row);
            }
          } catch (SQLException e) {
            throw unreadable(file, e);
          }
        }
      }
      return files;
    } catch (SQLException e) {
      throw new InfrastructureException(
          "cannot start the in-process DuckDB that reads Parquet: " + e.getMessage(), e);
    }
  }

  private static List<String> columns(Connection connection, Path file) {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT * FROM " + reader(file) + " LIMIT 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        names.add(meta.getColumnLabel(i));
      }
      return names;
    } catch (SQLException e) {
      throw unreadable(file, e);
    }
  }

  private static BadInputException unreadable(Path file, SQLException e) {
    return new BadInputException(
        file
            + " cannot be read as Parquet: "
            + e.getMessage().strip()
            + ". Check that it is a Parquet file (source.parquet), not CSV or JSON.",
        e);
  }

  private static String reader(Path file) {
    return "read_parquet('" + file.toString().replace("'", "''") + "')";
  }

  private static String text(Object value) {
    return switch (value) {
      case null -> null;
      case BigDecimal d -> d.toPlainString();
      case Double d -> d.isNaN() ? null : d.toString();
      case Float f -> f.isNaN() ? null : f.toString();
      case Timestamp t -> t.toLocalDateTime().toString();
      case java.sql.Date d -> d.toLocalDate().toString();
      case java.sql.Time t -> t.toLocalTime().toString();
      case TemporalAccessor t -> t.toString();
      case byte[] b -> java.util.HexFormat.of().formatHex(b);
      default -> value.toString();
    };
  }
}
