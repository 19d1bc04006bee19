package dev.flywheel.store;

import dev.flywheel.core.BadInputException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the metadata lives when it is not the workdir's SQLite file: a JDBC URL of a PostgreSQL
 * database, named by {@code --store} or the {@code FLYWHEEL_STORE} environment variable.
 *
 * <p>Invariant: {@link #jdbcUrl()} starts with {@code jdbc:postgresql://}. It may hold credentials
 * ({@code ?user=…&password=…}), so it is never printed: messages use {@link #redacted()} or {@link
 * #host()}, and {@link #toString()} is redacted too.
 */
public record StoreUrl(String jdbcUrl) {

  /** The environment variable that names a store when {@code --store} is absent. */
  public static final String ENV = "FLYWHEEL_STORE";

  private static final String POSTGRESQL = "jdbc:postgresql://";

  public StoreUrl {
    if (jdbcUrl == null || !jdbcUrl.startsWith(POSTGRESQL)) {
      throw new BadInputException(
          "the store "
              + redact(jdbcUrl)
              + " is not one Flywheel knows: use jdbc:postgresql://HOST[:PORT]/DATABASE"
              + " (credentials as ?user=…&password=…), or leave --store and "
              + ENV
              + " unset to keep the metadata in the workdir's flywheel.db");
    }
    if (host(jdbcUrl).isEmpty()) {
      throw new BadInputException(
          "the store " + redact(jdbcUrl) + " names no host: use jdbc:postgresql://HOST/DATABASE");
    }
  }

  /**
   * The store named by {@code option} ({@code --store}), else by {@code FLYWHEEL_STORE} in {@code
   * env}; empty when neither names one (blank counts as unset), meaning the workdir's SQLite file.
   */
  public static Optional<StoreUrl> resolve(String option, Map<String, String> env) {
    String url = option != null && !option.isBlank() ? option : env.get(ENV);
    if (url == null || url.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new StoreUrl(url.strip()));
  }

  /** The host (and port, when given) part, such as {@code db.example.com:5432}. */
  public String host() {
    return host(jdbcUrl);
  }

  /** The URL without its query parameters or any {@code user:password@}: safe to print. */
  public String redacted() {
    return redact(jdbcUrl);
  }

  @Override
  public String toString() {
    return redacted();
  }

  private static String host(String url) {
    String rest = url.substring(POSTGRESQL.length());
    int end = indexOfAny(rest, "/?");
    String authority = end < 0 ? rest : rest.substring(0, end);
    return authority.substring(authority.lastIndexOf('@') + 1);
  }

  private static String redact(String url) {
    if (url == null) {
      return "(none)";
    }
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int scheme = base.indexOf("://");
    if (scheme >= 0) {
      String rest = base.substring(scheme + 3);
      int slash = rest.indexOf('/');
      String authority = slash < 0 ? rest : rest.substring(0, slash);
      String path = slash < 0 ? "" : rest.substring(slash);
      base =
          base.substring(0, scheme + 3)
              + authority.substring(authority.lastIndexOf('@') + 1)
              + path;
    } else if (base.indexOf('@') >= 0) {
      base = base.substring(base.lastIndexOf('@') + 1);
    }
    return "'" + base + "'";
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
