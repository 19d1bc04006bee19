package dev.flywheel.data.collect;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a comma-separated UTF-8 file with a header row into a {@link Frame}, through FastCSV (RFC
 * 4180 quoting). A row with the wrong number of fields is an error that names the file and line:
 * silently padding or truncating rows would shift values into the wrong columns.
 */
public final class CsvSource {

  private final Path path;

  public CsvSource(Path path) {
    this.path = path;
  }

  /**
   * Reads the whole file.
   *
   * @param forced column types that override inference
   */
  public Frame read(Map<String, ColumnType> forced) {
    if (!Files.exists(path)) {
      throw new BadInputException(
          "data file " + path + " does not exist. Check source.csv in the spec.");
    }
    try (CsvReader<CsvRecord> reader =
        CsvReader.builder()
            .allowExtraFields(true)
            .allowMissingFields(true)
            .skipEmptyLines(true)
            .detectBomHeader(true)
            .ofCsvRecord(path, StandardCharsets.UTF_8)) {
      Iterator<CsvRecord> it = reader.iterator();
      if (!it.hasNext()) {
        throw new BadInputException(
            path + " is empty. A CSV source needs a header row and at least one data row.");
      }
      CsvRecord header = it.next();
      List<String> names = header.getFields().stream().map(String::strip).toList();
      checkHeader(names, header.getStartingLineNumber());
      FrameBuilder builder = new FrameBuilder(names);
      while (it.hasNext()) {
        CsvRecord record = it.next();
        if (record.getFieldCount() != names.size()) {
          throw new BadInputException(
              path
                  + ":"
                  + record.getStartingLineNumber()
                  + ": the row has "
                  + record.getFieldCount()
                  + " fields but the header has "
                  + names.size()
                  + ". Fix the row, or quote values that contain commas (\"a,b\").");
        }
        builder.add(record.getFields().toArray(String[]::new));
      }
      if (builder.rowCount() == 0) {
        throw new BadInputException(path + " has a header but no data rows.");
      }
      return builder.build(forced);
    } catch (CsvParseException e) {
      throw new BadInputException(path + ": not valid CSV: " + e.getMessage(), e);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException("data file " + path + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      throw new InfrastructureException("reading " + path + " failed: " + e.getMessage(), e);
    }
  }

  private void checkHeader(List<String> names, long line) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isEmpty()) {
        throw new BadInputException(
            path + ":" + line + ": column " + (i + 1) + " of the header has no name. Name it.");
      }
      if (!seen.add(n)) {
        throw new BadInputException(
            path + ":" + line + ": the header names column '" + n + "' twice. Rename one.");
      }
    }
  }
}
