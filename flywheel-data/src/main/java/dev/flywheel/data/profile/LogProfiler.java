package dev.flywheel.data.profile;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import dev.flywheel.core.Progress;
import dev.flywheel.data.collect.LogSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Profiles log files ({@code flywheel data profile LOG --format combined} or {@code --pattern
 * REGEX}) in one streaming pass, as {@code source: {log: ...}} reads them: a path or glob, rotated
 * files oldest first, {@code .gz} decompressed, {@code -} missing. A line that does not match is
 * counted as unparsed; the first five are kept with their line numbers (and, their reason, the
 * file).
 */
public final class LogProfiler {

  private LogProfiler() {}

  /** The combined preset. */
  public static DataProfile combined(Path path, Progress progress) {
    return profile(
        path, LogSource.COMBINED, LogSource.COMBINED_COLUMNS, "combined format", progress);
  }

  /** A regular expression whose named groups are the columns; a bad one is a BadInputException. */
  public static DataProfile regex(Path path, String regex, Progress progress) {
    Pattern p;
    try {
      p = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new BadInputException(
          "--pattern '"
              + regex
              + "' is not a valid regular expression: "
              + e.getDescription()
              + " near index "
              + e.getIndex()
              + ".");
    }
    List<String> groups = LogSource.groupsInOrder(p);
    if (groups.isEmpty()) {
      throw new BadInputException(
          "--pattern '"
              + regex
              + "' has no named group; name each column with (?<name>...), such as"
              + " (?<status>\\d+).");
    }
    return profile(path, p, groups, "pattern", progress);
  }

  private static DataProfile profile(
      Path path, Pattern pattern, List<String> columns, String what, Progress progress) {
    List<Path> files = LogSource.files(path, "the log path");
    String[] groups = LogSource.groupsInOrder(pattern).toArray(new String[0]);
    StreamingProfiler profiler = new StreamingProfiler(columns);
    List<String> texts = new ArrayList<>();
    progress.start("profile", files.size());
    try {
      int done = 0;
      for (Path file : files) {
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
            String[] row = LogSource.match(pattern, groups, line);
            if (row != null) {
              profiler.add(row);
            } else {
              if (texts.size() < StreamingProfiler.MAX_EXAMPLES) {
                texts.add(line.length() <= 200 ? line : line.substring(0, 200) + "...");
              }
              profiler.discardRow(
                  number,
                  "does not match the "
                      + what
                      + (files.size() > 1 ? " (in " + file.getFileName() + ")" : ""));
            }
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
    List<DataProfile.Unparsed> examples = profiler.examples();
    for (int i = 0; i < examples.size(); i++) {
      DataProfile.Unparsed u = examples.get(i);
      examples.set(i, new DataProfile.Unparsed(u.line(), texts.get(i), u.reason()));
    }
    return profiler.finish(path.getFileName().toString());
  }
}
