package dev.flywheel.data.collect;

import dev.flywheel.core.BadInputException;
import dev.flywheel.core.InfrastructureException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files a file source names: one path, or a glob such as {@code data/2026-*.csv.gz} whose
 * matches are read in sorted order as one data set. Files ending in {@code .gz} are decompressed as
 * they are read.
 */
final class SourceFiles {

  private SourceFiles() {}

  static boolean isGlob(Path pattern) {
    String s = pattern.toString();
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /**
   * The files {@code pattern} names, in sorted order.
   *
   * @param key the spec key, for messages ({@code source.csv})
   */
  static List<Path> expand(Path pattern, String key) {
    if (!isGlob(pattern)) {
      if (!Files.exists(pattern)) {
        throw new BadInputException(
            "data file " + pattern + " does not exist. Check " + key + " in the spec.");
      }
      if (Files.isDirectory(pattern)) {
        throw new BadInputException(
            "data file "
                + pattern
                + " is a folder, not a file. Point "
                + key
                + " at a file, or at a glob such as "
                + pattern.resolve("*")
                + ".");
      }
      return List.of(pattern);
    }
    // The folder is the longest leading part without glob characters.
    Path root = pattern.getRoot() == null ? Path.of("") : pattern.getRoot();
    int first = 0;
    while (first < pattern.getNameCount() && !isGlob(pattern.getName(first))) {
      root = root.resolve(pattern.getName(first));
      first++;
    }
    String rest = pattern.subpath(first, pattern.getNameCount()).toString();
    if (!Files.isDirectory(root)) {
      throw new BadInputException(
          "no file matches "
              + pattern
              + ": the folder "
              + root
              + " does not exist. Check "
              + key
              + " in the spec.");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    int depth = rest.contains("**") ? Integer.MAX_VALUE : pattern.getNameCount() - first;
    List<Path> out = new ArrayList<>();
    Path base = root;
    try (Stream<Path> walk = Files.walk(root, depth)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> matcher.matches(base.relativize(p)))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw new InfrastructureException("listing " + root + " failed: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new BadInputException(
          "no file matches "
              + rest
              + " in the folder "
              + root
              + ". Check "
              + key
              + " in the spec (a glob: * matches within a name, ** across folders).");
    }
    return out;
  }

  /** The file's bytes, decompressed when its name ends in {@code .gz}. */
  static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        return new BufferedInputStream(new GZIPInputStream(in, 65_536), 65_536);
      }
      return new BufferedInputStream(in, 65_536);
    } catch (IOException e) {
      in.close();
      throw new BadInputException(
          file + " ends in .gz but is not gzip data: " + e.getMessage() + ". Rename or fix it.", e);
    }
  }
}
