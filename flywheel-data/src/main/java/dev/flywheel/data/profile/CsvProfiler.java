package dev.flywheel.data.profile;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Profiles a comma-separated UTF-8 file with a header row in one streaming pass. FastCSV hands each
 * field over as a range of its character buffer; numbers are parsed from there, so only text cells
 * become Strings. A row with the wrong number of fields is counted as unparsed, with its line
 * number, and the pass goes on.
 */
public final class CsvProfiler {

  private static final int PROGRESS_EVERY = 1 << 16;
  private static final int EXAMPLE_CHARS = 200;

  private CsvProfiler() {}

  public static DataProfile profile(Path path, Progress progress) {
    return profile(path, ',', progress);
  }

  /**
   * Profiles a delimited file ({@code ','} for CSV, {@code '\t'} for TSV), gunzipped on the fly
   * when its name ends in {@code .gz}; progress then counts compressed bytes.
   */
  public static DataProfile profile(Path path, char delimiter, Progress progress) {
    if (!Files.exists(path)) {
      throw new BadInputException(path + " does not exist. Give the path of a CSV file.");
    }
    if (Files.isDirectory(path)) {
      throw new BadInputException(path + " is a folder, not a file. Give the path of a CSV file.");
    }
    long size;
    try {
      size = Files.size(path);
    } catch (IOException e) {
      throw new BadInputException(path + " cannot be read: " + e.getMessage(), e);
    }
    Handler handler = new Handler(path);
    boolean read = false;
    progress.start("profile", Math.max(1, size));
    try (CountingStream counted = new CountingStream(Files.newInputStream(path));
        CsvReader<Object> reader =
            CsvReader.builder()
                .fieldSeparator(delimiter)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .skipEmptyLines(true)
                .build(handler, strictUtf8(gunzipped(path, counted)))) {
      long rows = 0;
      for (Object ignored : reader) {
        if ((++rows & (PROGRESS_EVERY - 1)) == 0) {
          progress.step(counted.count);
        }
      }
      progress.step(size);
      read = true;
    } catch (CsvParseException e) {
      if (isCodingError(e)) {
        throw notUtf8(path, handler.line);
      }
      throw new BadInputException(path + ": not valid CSV: " + e.getMessage(), e);
    } catch (NoSuchFileException | AccessDeniedException e) {
      throw new BadInputException(path + " cannot be read: " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      if (isCodingError(e)) {
        throw notUtf8(path, handler.line);
      }
      throw new InfrastructureException("reading " + path + " failed: " + e.getMessage(), e);
    } finally {
      progress.finish();
      if (!read && handler.profiler != null) {
        handler.profiler.close();
      }
    }
    if (handler.profiler == null) {
      throw new BadInputException(path + " is empty. A CSV file needs a header row.");
    }
    StreamingProfiler profiler = handler.profiler;
    addExampleText(path, profiler.examples());
    return profiler.finish(path.getFileName().toString());
  }

  /** The field callbacks: the first record is the header, every other one a row. */
  private static final class Handler extends AbstractBaseCsvCallbackHandler<Object> {
    private final Path path;
    private final List<String> header = new ArrayList<>();
    StreamingProfiler profiler;
    private int columns;
    long line;

    Handler(Path path) {
      this.path = path;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
      line = startingLineNumber;
    }

    @Override
    protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
      if (profiler == null) {
        header.add(new String(buf, offset, len).strip());
      } else if (index < columns) {
        profiler.cell(index, buf, offset, len);
      }
    }

    @Override
    protected Object buildRecord() {
      int fields = getFieldCount();
      if (profiler == null) {
        checkHeader(path, header, line);
        profiler = StreamingProfiler.pipelined(header);
        columns = header.size();
      } else if (fields == columns) {
        profiler.commitRow();
      } else {
        profiler.discardRow(
            line, "the row has " + fields + " fields but the header has " + columns);
      }
      return Boolean.TRUE;
    }
  }

  private static void checkHeader(Path path, List<String> names, long line) {
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

  /** Fills in the text of the unparsed examples by reading their lines again (at most five). */
  private static void addExampleText(Path path, List<DataProfile.Unparsed> examples) {
    if (examples.isEmpty()) {
      return;
    }
    long last = examples.getLast().line();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                gunzipped(path, Files.newInputStream(path)), StandardCharsets.UTF_8))) {
      int next = 0;
      String text;
      for (long number = 1; number <= last && (text = in.readLine()) != null; number++) {
        if (number == 1 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
          text = text.substring(1);
        }
        while (next < examples.size() && examples.get(next).line() == number) {
          DataProfile.Unparsed u = examples.get(next);
          String shown =
              text.length() > EXAMPLE_CHARS ? text.substring(0, EXAMPLE_CHARS) + "..." : text;
          examples.set(next, new DataProfile.Unparsed(u.line(), shown, u.reason()));
          next++;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // The counts and line numbers stand without the text.
    }
  }

  private static InputStream gunzipped(Path path, InputStream raw) throws IOException {
    return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz")
        ? new java.util.zip.GZIPInputStream(raw, 1 << 16)
        : raw;
  }

  private static Reader strictUtf8(InputStream raw) throws IOException {
    InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
    in.mark(BOM.length);
    if (!Arrays.equals(in.readNBytes(BOM.length), BOM)) {
      in.reset();
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

  private static BadInputException notUtf8(Path path, long line) {
    return new BadInputException(
        path
            + ": the text is not UTF-8 (near line "
            + line
            + "). Save the file as UTF-8 (for example: iconv -f latin1 -t utf-8).");
  }

  /** Counts the bytes read, for progress. */
  private static final class CountingStream extends FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
