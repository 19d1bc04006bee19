package dev.flywheel.core.spec;

import java.nio.file.Path;

/** Where a training run reads its data. The set of kinds grows with the data issues. */
public sealed interface SourceSpec {

  /** A one-line description for progress output and run records. Never holds credentials. */
  String describe();

  /** A CSV file with a header row. The path is already resolved against the spec's folder. */
  record Csv(Path path) implements SourceSpec {
    @Override
    public String describe() {
      return path.toString();
    }
  }

  /** A JDBC query. */
  record Jdbc(String url, String query) implements SourceSpec {
    @Override
    public String describe() {
      // URLs may carry a password as a parameter: keep only what comes before it.
      int q = url.indexOf('?');
      return (q < 0 ? url : url.substring(0, q)) + " (query)";
    }
  }
}
