package dev.flywheel.data.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import dev.flywheel.core.spec.SourceSpec;
import dev.flywheel.data.collect.HttpSource;
import dev.flywheel.data.collect.JsonRows;
import dev.flywheel.data.collect.LogSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Profiles JSON records in one streaming pass: JSON Lines files, JSON logs and the records of an
 * HTTP API, read as {@code source: {jsonl|log|http: ...}} reads them. The columns are the keys in
 * the order they first appear; a key absent from a record is a missing value there. A record that
 * is not a JSON object (or, outside logs, holds a nested object or list) is counted as unparsed,
 * with its line or record number, and the pass goes on. Memory is bounded by the number of columns,
 * never by the number of records.
 */
public final class JsonProfiler {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int PROGRESS_EVERY = 10_000;

  private final StreamingProfiler profiler = new StreamingProfiler(List.of());
  private final Map<String, Integer> index = new HashMap<>();
  private final boolean nestedAsText;
  private String[] row = new String[0];

  private JsonProfiler(boolean nestedAsText) {
    this.nestedAsText = nestedAsText;
  }

  /** A JSON Lines file or glob ({@code .gz} decompressed); nested values are unparsed records. */
  public static DataProfile jsonl(Path path, Progress progress) {
    return lines(path, false, "JSON Lines", progress);
  }

  /**
   * A JSON log ({@code --format json}): rotated files oldest first, nested values kept as their
   * JSON text, as structured loggers nest.
   */
  public static DataProfile jsonLog(Path path, Progress progress) {
    return lines(path, true, "JSON log", progress);
  }

  /** The records of a JSON HTTP API, page by page, with the source's retries and paging. */
  public static DataProfile http(SourceSpec.Http spec, Progress progress) {
    JsonProfiler p = new JsonProfiler(false);
    progress.start("profile", 0);
    try {
      new HttpSource(spec)
          .stream(
              (record, where, number) -> {
                p.record(record, number, where + " " + number + ": ", null);
                if (number % PROGRESS_EVERY == 0) {
                  progress.step(number);
                }
              });
      progress.step(p.profiler.rows() + p.profiler.unparsed());
    } finally {
      progress.finish();
    }
    return p.profiler.finish(spec.describe());
  }

  private static DataProfile lines(Path path, boolean log, String what, Progress progress) {
    List<Path> files = LogSource.files(path, "the " + what + " path");
    JsonProfiler p = new JsonProfiler(log);
    progress.start("profile", files.size());
    try {
      int done = 0;
      for (Path file : files) {
        String in = files.size() > 1 ? " (in " + file.getFileName() + ")" : "";
        try (BufferedReader reader = LogSource.reader(file)) {
          String line;
          long number = 0;
          while ((line = reader.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
              line = line.substring(1);
            }
            if (line.isBlank()) {
              continue;
            }
            JsonNode node;
            try {
              node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
              p.profiler.discardRow(
                  number, line, "not valid JSON" + in + ": " + e.getOriginalMessage());
              continue;
            }
            p.record(node, number, "", in, line);
          }
        } catch (NoSuchFileException | AccessDeniedException e) {
          throw new BadInputException(file + " cannot be read: " + e.getMessage(), e);
        } catch (CharacterCodingException e) {
          throw new BadInputException(file + " is not UTF-8 text: " + e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
          if (e.getCause() instanceof CharacterCodingException) {
            throw new BadInputException(file + " is not UTF-8 text: " + e.getMessage(), e);
          }
          throw new InfrastructureException("reading " + file + " failed: " + e.getMessage(), e);
        }
        progress.step(++done);
      }
    } finally {
      progress.finish();
    }
    return p.profiler.finish(path.getFileName().toString());
  }

  private void record(JsonNode node, long number, String where, String text) {
    record(node, number, where, "", text);
  }

  /** Adds one record, or counts it as unparsed. {@code text} is its line, or null for its JSON. */
  private void record(JsonNode node, long number, String where, String in, String text) {
    if (node == null || !node.isObject()) {
      profiler.discardRow(
          number,
          text == null ? String.valueOf(node) : text,
          where
              + (node == null
                  ? "empty"
                  : "a JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT))
              + ", not a JSON object"
              + in);
      return;
    }
    if (!nestedAsText) {
      String nested = JsonRows.nestedKey(node);
      if (nested != null) {
        profiler.discardRow(
            number,
            text == null ? node.toString() : text,
            where
                + "key '"
                + nested
                + "' holds a nested "
                + (node.get(nested).isObject() ? "object" : "list")
                + in);
        return;
      }
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!index.containsKey(key)) {
        index.put(key, profiler.addColumn(key));
      }
    }
    if (row.length != profiler.columnCount()) {
      row = new String[profiler.columnCount()];
    } else {
      java.util.Arrays.fill(row, null);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      row[index.get(e.getKey())] =
          v.isNull() ? null : v.isContainerNode() ? v.toString() : v.asText();
    }
    profiler.add(row);
  }
}
