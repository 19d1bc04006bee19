package dev.flywheel.data.collect;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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
    if (Files.isDirectory(path)) {
      throw new BadInputException(
          "data file " + path + " is a folder, not a file. Point source.csv at a CSV file.");
    }
    try (CsvReader<CsvRecord> reader =
        CsvReader.builder()
            .allowExtraFields(true)
            .allowMissingFields(true)
            .skipEmptyLines(true)
            .ofCsvRecord(strictUtf8(path))) {
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
      if (isCodingError(e)) {
        throw notUtf8(e);
      }
      throw new BadInputException(path + ": not valid CSV: " + e.getMessage(), e);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException("data file " + path + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      if (isCodingError(e)) {
        throw notUtf8(e);
      }
      throw new InfrastructureException("reading " + path + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * A reader that fails on bytes that are not UTF-8, after skipping a byte order mark. FastCSV's
   * own readers replace such bytes with U+FFFD, which would silently turn "Z\u00fcrich" written in
   * Latin-1 into a different category than the one requests send.
   */
  private static Reader strictUtf8(Path path) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(path));
    try {
      in.mark(BOM.length);
      if (!Arrays.equals(in.readNBytes(BOM.length), BOM)) {
        in.reset();
      }
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return new InputStreamReader(
        in,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private static boolean isCodingError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CharacterCodingException) {
        return true;
      }
    }
    return false;
  }

  private BadInputException notUtf8(Throwable cause) {
    String fix = " is not UTF-8. Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8).";
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      // Decoding is buffered, so the failure does not say where: find the first bad line.
      CharsetDecoder decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (long number = 1; ; number++) {
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
          line.write(b);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.toByteArray());
        CoderResult result =
            decoder.reset().decode(bytes, CharBuffer.allocate(bytes.capacity()), true);
        if (result.isError()) {
          return new BadInputException(
              String.format(
                  Locale.ROOT,
                  "%s:%d: byte 0x%02X at byte %d of the line%s",
                  path,
                  number,
                  bytes.get(bytes.position()),
                  bytes.position() + 1,
                  fix),
              cause);
        }
        if (b == -1) {
          break;
        }
        line.reset();
      }
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
    return new BadInputException(path + ": the text" + fix, cause);
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
