package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the result of a SQL query through any JDBC driver on the class path (SQLite and PostgreSQL
 * are bundled). Rows are streamed with a fetch size (PostgreSQL streams only inside a transaction,
 * so the connection reads with auto-commit off); values are read as text and typed the same way as
 * CSV cells, so a data set gives the same frame whichever way it arrives.
 *
 * <p>Credentials come from environment variables whose names the spec gives ({@link Credentials});
 * their values never appear in a message or a log.
 */
public final class JdbcSource {

  /** Rows fetched per round trip unless the spec says otherwise. */
  public static final int DEFAULT_FETCH_SIZE = 10_000;

  private static final Pattern HOST = Pattern.compile("//([^/?;]+)");
  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

  /**
   * Where the user name and password come from: the names of environment variables, either of them
   * null when the database needs none.
   */
  public record Credentials(String userEnv, String passwordEnv) {
    public static final Credentials NONE = new Credentials(null, null);
  }

  private final String url;
  private final String query;
  private final Credentials credentials;
  private final int fetchSize;
  private final Function<String, String> env;
  private final List<Object> parameters;
  private final boolean allowEmpty;

  public JdbcSource(String url, String query) {
    this(url, query, Credentials.NONE, DEFAULT_FETCH_SIZE);
  }

  public JdbcSource(String url, String query, Credentials credentials, int fetchSize) {
    this(url, query, credentials, fetchSize, System::getenv);
  }

  /**
   * A query with bound parameters, which may return no rows (an incremental fetch that finds
   * nothing new).
   *
   * @param parameters bound in order: {@code Long}, {@code Double} or {@code String}; a string is
   *     sent to PostgreSQL untyped, so the server reads it as the compared column's type (such as a
   *     timestamp)
   */
  public JdbcSource(
      String url,
      String query,
      Credentials credentials,
      int fetchSize,
      List<Object> parameters,
      boolean allowEmpty) {
    this(url, query, credentials, fetchSize, System::getenv, parameters, allowEmpty);
  }

  JdbcSource(
      String url,
      String query,
      Credentials credentials,
      int fetchSize,
      Function<String, String> env,
      List<Object> parameters,
      boolean allowEmpty) {
    this.url = url;
    this.query = query;
    this.credentials = credentials;
    this.fetchSize = fetchSize;
    this.env = env;
    this.parameters = List.copyOf(parameters);
    this.allowEmpty = allowEmpty;
  }

  /** With an explicit environment, for tests. */
  JdbcSource(
      String url,
      String query,
      Credentials credentials,
      int fetchSize,
      Function<String, String> env) {
    this(url, query, credentials, fetchSize, env, List.of(), false);
  }

  /**
   * The query that reads a whole table, for a spec that names a table instead of a query.
   *
   * @throws BadInputException when the name is not a plain (optionally schema-qualified) name
   */
  public static String tableQuery(String table) {
    if (!TABLE.matcher(table).matches()) {
      throw new BadInputException(
          "source.jdbc.table: '"
              + table
              + "' is not a plain table name (letters, digits and '_', optionally schema.table)."
              + " Use source.jdbc.query for anything else.");
    }
    StringBuilder quoted = new StringBuilder();
    for (String part : table.split("\\.")) {
      if (!quoted.isEmpty()) {
        quoted.append('.');
      }
      quoted.append('"').append(part).append('"');
    }
    return "SELECT * FROM " + quoted;
  }

  public Frame read(Map<String, ColumnType> forced) {
    FrameBuilder[] builder = new FrameBuilder[1];
    stream(
        new Rows() {
          @Override
          public void columns(List<String> names) {
            builder[0] = new FrameBuilder(names);
          }

          @Override
          public void row(String[] cells) {
            builder[0].add(cells);
          }
        });
    if (builder[0].rowCount() == 0 && !allowEmpty) {
      throw new BadInputException(
          "the query in source.jdbc.query returned no rows from " + safeUrl() + ".");
    }
    return builder[0].build(forced);
  }

  /** Where streamed rows go: the column names once, then each row's cells as text. */
  public interface Rows {
    void columns(List<String> names);

    /** One row; the array is reused for the next row. Null is missing. */
    void row(String[] cells);
  }

  /** Runs the query and hands each row to {@code rows} as it is fetched. */
  public void stream(Rows rows) {
    checkSqliteFile();
    Properties properties = new Properties();
    secret("user_env", credentials.userEnv()).ifPresent(v -> properties.setProperty("user", v));
    secret("password_env", credentials.passwordEnv())
        .ifPresent(v -> properties.setProperty("password", v));
    Connection opened;
    try {
      opened = DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      throw new InfrastructureException(
          "cannot connect to the database at "
              + where()
              + ": "
              + e.getMessage()
              + ". Check that it is running and reachable from this machine, and the"
              + " credentials.",
          e);
    }
    boolean postgres = url.startsWith("jdbc:postgresql:");
    try (Connection connection = opened;
        // A plain statement unless there are parameters: a prepared one would read a '?' in the
        // user's SQL (PostgreSQL's JSON operator) as a placeholder.
        Statement statement =
            parameters.isEmpty()
                ? connection.createStatement()
                : connection.prepareStatement(query)) {
      if (postgres) {
        connection.setAutoCommit(false);
      }
      statement.setFetchSize(fetchSize);
      ResultSet rs;
      try {
        if (statement instanceof PreparedStatement ps) {
          for (int i = 0; i < parameters.size(); i++) {
            switch (parameters.get(i)) {
              case Long l -> ps.setLong(i + 1, l);
              case Double d -> ps.setDouble(i + 1, d);
              case String t when postgres -> ps.setObject(i + 1, t, java.sql.Types.OTHER);
              case Object o -> ps.setString(i + 1, o.toString());
            }
          }
          rs = ps.executeQuery();
        } else {
          rs = statement.executeQuery(query);
        }
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
        rows.columns(names);
        String[] row = new String[names.size()];
        while (rs.next()) {
          for (int i = 0; i < row.length; i++) {
            row[i] = text(rs.getObject(i + 1));
          }
          rows.row(row);
        }
      }
    } catch (SQLException e) {
      throw new InfrastructureException("cannot read from " + safeUrl() + ": " + e.getMessage(), e);
    }
  }

  /** The value of the environment variable a spec key names, or empty when the key is unset. */
  private java.util.Optional<String> secret(String key, String variable) {
    if (variable == null) {
      return java.util.Optional.empty();
    }
    String value = env.apply(variable);
    if (value == null) {
      throw new BadInputException(
          "source.jdbc."
              + key
              + " names the environment variable "
              + variable
              + ", which is not set. Export it before the run (its value is never printed).");
    }
    return java.util.Optional.of(value);
  }

  /** SQLite would silently create a missing file and find no table in it. */
  private void checkSqliteFile() {
    String prefix = "jdbc:sqlite:";
    if (!url.startsWith(prefix)) {
      return;
    }
    String path = url.substring(prefix.length());
    int q = path.indexOf('?');
    path = q < 0 ? path : path.substring(0, q);
    if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
      return;
    }
    if (!Files.exists(Path.of(path))) {
      throw new BadInputException(
          "source.jdbc.url names the SQLite file "
              + path
              + ", which does not exist. Fix the path.");
    }
  }

  /** The host and port of a network URL, or the URL without parameters. */
  private String where() {
    Matcher m = HOST.matcher(url);
    return m.find() ? m.group(1) + " (" + safeUrl() + ")" : safeUrl();
  }

  private static String text(Object value) {
    return switch (value) {
      case null -> null;
      case BigDecimal d -> d.toPlainString();
      case Double d -> d.isNaN() ? null : d.toString();
      case Float f -> f.isNaN() ? null : f.toString();
      case byte[] bytes -> java.util.HexFormat.of().formatHex(bytes);
      default -> value.toString();
    };
  }

  /** The URL without its parameters, which may hold a password. */
  private String safeUrl() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }
}
