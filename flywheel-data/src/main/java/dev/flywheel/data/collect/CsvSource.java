package dev.flywheel.data.collect;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.frame.ColumnType;
import dev.flywheel.core.frame.Frame;
import dev.flywheel.core.frame.FrameBuilder;
import dev.flywheel.core.spec.SourceSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads delimited text (CSV, TSV, any delimiter and quote) into a {@link Frame}, through FastCSV
 * (RFC 4180 quoting). The text is decoded strictly in the declared encoding; {@code .gz} files are
 * decompressed; a glob reads every match in sorted order, and all must have the same header. A row
 * with the wrong number of fields is a bad row: under {@code bad_rows: fail} an error that names
 * the file and line, since silently padding or truncating it would shift values into the wrong
 * columns.
 */
public final class CsvSource {

  private final SourceSpec.Csv spec;
  private final String key;

  public CsvSource(Path path) {
    this(new SourceSpec.Csv(path));
  }

  public CsvSource(SourceSpec.Csv spec) {
    this.spec = spec;
    this.key = spec.delimiter() == '\t' ? "source.tsv" : "source.csv";
  }

  /**
   * Reads every file.
   *
   * @param forced column types that override inference
   */
  public Frame read(Map<String, ColumnType> forced) {
    return collect(forced).frame();
  }

  /** Reads every file, applying the bad-row policy. */
  public Collected collect(Map<String, ColumnType> forced) {
    List<Path> files = SourceFiles.expand(spec.path(), key);
    try (BadRowSink bad = new BadRowSink(spec.badRows(), spec.quarantine())) {
      Target target = new Target();
      for (Path file : files) {
        readFile(file, target, bad);
      }
      FrameBuilder builder = target.builder;
      if (builder.rowCount() == 0) {
        throw new BadInputException(
            (files.size() == 1 ? files.get(0).toString() : spec.path().toString())
                + (spec.header() ? " has a header but no data rows." : " has no data rows.")
                + (bad.count() > 0 ? " All " + bad.count() + " rows were bad rows." : ""));
      }
      bad.finish();
      return new Collected(builder.build(forced), bad.count(), bad.quarantined());
    }
  }

  /** The rows read so far, and the file whose header named the columns. */
  private static final class Target {
    FrameBuilder builder;
    Path first;
  }

  /**
   * Reads one file into {@code target}: the first file's header names the columns, and every later
   * file's header must be the same.
   */
  private void readFile(Path file, Target target, BadRowSink bad) {
    try (CsvReader<CsvRecord> reader =
        CsvReader.builder()
            .fieldSeparator(spec.delimiter())
            .quoteCharacter(spec.quote())
            .allowExtraFields(true)
            .allowMissingFields(true)
            .skipEmptyLines(true)
            .ofCsvRecord(strictReader(file))) {
      Iterator<CsvRecord> it = reader.iterator();
      if (!it.hasNext()) {
        throw new BadInputException(
            file
                + " is empty. A "
                + kind()
                + " source needs "
                + (spec.header() ? "a header row and " : "")
                + "at least one data row.");
      }
      List<String> names;
      CsvRecord head = null;
      if (spec.header()) {
        head = it.next();
        names = head.getFields().stream().map(String::strip).toList();
        checkHeader(file, names, head.getStartingLineNumber());
      } else {
        head = it.next();
        names = new ArrayList<>();
        for (int i = 1; i <= head.getFieldCount(); i++) {
          names.add("c" + i);
        }
      }
      if (target.builder == null) {
        target.builder = new FrameBuilder(names);
        target.first = file;
      }
      FrameBuilder builder = target.builder;
      if (spec.header() && !names.equals(builder.names())) {
        throw new BadInputException(
            file
                + ":"
                + head.getStartingLineNumber()
                + ": the header ("
                + String.join(", ", names)
                + ") differs from the header of "
                + target.first
                + " ("
                + String.join(", ", builder.names())
                + "). Files read together by a glob must have the same columns in the same order.");
      }
      int width = builder.names().size();
      if (!spec.header()) {
        add(file, head, builder, width, bad);
      }
      while (it.hasNext()) {
        add(file, it.next(), builder, width, bad);
      }
    } catch (CsvParseException e) {
      if (isCodingError(e)) {
        throw notDecodable(file, e);
      }
      throw new BadInputException(file + ": not valid " + kind() + ": " + e.getMessage(), e);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException("data file " + file + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      if (isCodingError(e)) {
        throw notDecodable(file, e);
      }
      throw new InfrastructureException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  private void add(Path file, CsvRecord record, FrameBuilder builder, int width, BadRowSink bad) {
    if (record.getFieldCount() != width) {
      bad.reject(
          file,
          record.getStartingLineNumber(),
          "the row has "
              + record.getFieldCount()
              + " fields but the "
              + (spec.header() ? "header has " : "first row has ")
              + width
              + ". Fix the row, or quote values that contain "
              + delimiterName()
              + " ("
              + spec.quote()
              + "a"
              + spec.delimiter()
              + "b"
              + spec.quote()
              + ").",
          raw(record));
      return;
    }
    builder.add(record.getFields().toArray(String[]::new));
  }

  /** The record's text again, quoted where needed. */
  private String raw(CsvRecord record) {
    StringBuilder sb = new StringBuilder();
    String q = String.valueOf(spec.quote());
    for (int i = 0; i < record.getFieldCount(); i++) {
      if (i > 0) {
        sb.append(spec.delimiter());
      }
      String f = record.getField(i);
      if (f.indexOf(spec.delimiter()) >= 0
          || f.contains(q)
          || f.indexOf('\n') >= 0
          || f.indexOf('\r') >= 0) {
        sb.append(q).append(f.replace(q, q + q)).append(q);
      } else {
        sb.append(f);
      }
    }
    return sb.toString();
  }

  private String kind() {
    return spec.delimiter() == '\t' ? "TSV" : "CSV";
  }

  private String delimiterName() {
    return switch (spec.delimiter()) {
      case ',' -> "commas";
      case '\t' -> "tabs";
      case ';' -> "semicolons";
      default -> "'" + spec.delimiter() + "'";
    };
  }

  /**
   * A reader that fails on bytes that are not valid in the declared encoding, after skipping a
   * UTF-8 byte order mark. FastCSV's own readers replace such bytes with U+FFFD, which would
   * silently turn "Z\u00fcrich" written in Latin-1 into a different category than the one requests
   * send.
   */
  private Reader strictReader(Path file) throws IOException {
    InputStream in = SourceFiles.open(file);
    try {
      if (spec.encoding().equals(StandardCharsets.UTF_8)) {
        in.mark(BOM.length);
        if (!Arrays.equals(in.readNBytes(BOM.length), BOM)) {
          in.reset();
        }
      }
    } catch (IOException e) {
      in.close();
      throw e;
    }
    return new InputStreamReader(in, decoder(spec.encoding()));
  }

  static CharsetDecoder decoder(Charset charset) {
    return charset
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  static boolean isCodingError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CharacterCodingException) {
        return true;
      }
    }
    return false;
  }

  private BadInputException notDecodable(Path file, Throwable cause) {
    return notDecodable(file, spec.encoding(), cause, key);
  }

  /** Finds the first line that does not decode, for a message that names it. */
  static BadInputException notDecodable(Path file, Charset charset, Throwable cause, String key) {
    String fix =
        charset.equals(StandardCharsets.UTF_8)
            ? " is not UTF-8. Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8), or"
                + " declare its encoding ("
                + key
                + ": {path: ..., encoding: ISO-8859-1})."
            : " is not "
                + charset.name()
                + ". Declare the file's real encoding in "
                + key
                + ".encoding, or save it as "
                + charset.name()
                + ".";
    try (InputStream in = SourceFiles.open(file)) {
      // Decoding is buffered, so the failure does not say where: find the first bad line.
      CharsetDecoder decoder = decoder(charset);
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (long number = 1; ; number++) {
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
          line.write(b);
        }
        ByteBuffer bytes = ByteBuffer.wrap(line.toByteArray());
        CoderResult result =
            decoder.reset().decode(bytes, CharBuffer.allocate(bytes.capacity() * 2 + 2), true);
        if (result.isError()) {
          return new BadInputException(
              String.format(
                  Locale.ROOT,
                  "%s:%d: byte 0x%02X at byte %d of the line%s",
                  file,
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
    return new BadInputException(file + ": the text" + fix, cause);
  }

  private void checkHeader(Path file, List<String> names, long line) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (n.isEmpty()) {
        throw new BadInputException(
            file + ":" + line + ": column " + (i + 1) + " of the header has no name. Name it.");
      }
      if (!seen.add(n)) {
        throw new BadInputException(
            file + ":" + line + ": the header names column '" + n + "' twice. Rename one.");
      }
    }
  }
}
