package dev.flywheel.data.collect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.spec.SourceSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON Lines (one JSON object per line, UTF-8; {@code .gz} and globs as for CSV) into a
 * frame. The columns are the keys in the order they first appear; a key absent from a line is a
 * missing value there. Values: numbers and strings as they are, booleans as the text {@code
 * true}/{@code false}, null as missing. A line that is not a JSON object, or that holds a nested
 * object or list, is a bad row: Flywheel does not guess how to flatten it.
 */
public final class JsonlSource {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final SourceSpec.Jsonl spec;

  public JsonlSource(SourceSpec.Jsonl spec) {
    this.spec = spec;
  }

  public Collected collect(Map<String, ColumnType> forced) {
    List<Path> files = SourceFiles.expand(spec.path(), "source.jsonl");
    JsonRows json = new JsonRows();
    RowFrame rows = new RowFrame();
    try (BadRowSink bad = new BadRowSink(spec.badRows(), spec.quarantine())) {
      for (Path file : files) {
        readFile(file, json, rows, bad);
      }
      if (rows.isEmpty()) {
        throw new BadInputException(
            (files.size() == 1 ? files.get(0).toString() : spec.path().toString())
                + " has no JSON objects to read"
                + (bad.count() > 0 ? ": all " + bad.count() + " lines were bad rows." : ".")
                + " Each line of a JSON Lines file is one object, such as {\"x\": 1, \"y\": \"a\"}.");
      }
      bad.finish();
      return new Collected(rows.frame(json.columns(), forced), bad.count(), bad.quarantined());
    }
  }

  private void readFile(Path file, JsonRows json, RowFrame rows, BadRowSink bad) {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                SourceFiles.open(file), CsvSource.decoder(StandardCharsets.UTF_8)))) {
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
        String[] row = parse(file, number, line, json, bad);
        if (row != null) {
          rows.add(row, json::columns);
        }
      }
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      if (CsvSource.isCodingError(e)) {
        throw CsvSource.notDecodable(file, StandardCharsets.UTF_8, e, "source.jsonl");
      }
      throw new InfrastructureException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** One line's values by column index, or null when it is a bad row. */
  private static String[] parse(
      Path file, long number, String line, JsonRows json, BadRowSink bad) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      bad.reject(
          file,
          number,
          "the line is not valid JSON ("
              + e.getOriginalMessage()
              + "). Each line must be one JSON object, such as {\"x\": 1, \"y\": \"a\"}.",
          line);
      return null;
    }
    if (node == null || !node.isObject()) {
      bad.reject(
          file,
          number,
          "the line is "
              + (node == null ? "empty" : "a JSON " + node.getNodeType().name().toLowerCase())
              + ", not a JSON object. Each line must be one object, such as {\"x\": 1, \"y\":"
              + " \"a\"}.",
          line);
      return null;
    }
    // Check the whole line before adding any new column, so a bad row adds none.
    String nested = JsonRows.nestedKey(node);
    if (nested != null) {
      bad.reject(
          file,
          number,
          "key '"
              + nested
              + "' holds a nested "
              + (node.get(nested).isObject() ? "object" : "list")
              + "; values must be numbers, text, true/false or null. Flatten it into top-level"
              + " keys (for example "
              + nested
              + "_a, "
              + nested
              + "_b).",
          line);
      return null;
    }
    return json.row(node, false);
  }
}
