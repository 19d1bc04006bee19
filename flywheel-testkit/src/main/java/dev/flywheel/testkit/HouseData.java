package dev.flywheel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic house-price regression set: price depends on size, rooms, age and a categorical
 * location, with noise and a few missing values. The same seed gives the same rows.
 */
public final class HouseData {

  private HouseData() {}

  public static Path writeCsv(Path file, int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] locations = {"city", "suburb", "rural"};
    StringBuilder sb = new StringBuilder("size_m2,rooms,age_years,location,price\n");
    for (int i = 0; i < rows; i++) {
      double size = 40 + r.nextDouble() * 160;
      int rooms = 1 + (int) (size / 35) + r.nextInt(2);
      int age = r.nextInt(80);
      String location = locations[r.nextInt(locations.length)];
      double factor = location.equals("city") ? 1.5 : location.equals("suburb") ? 1.1 : 0.7;
      double price =
          factor * (2500 * size + 8000 * rooms - 600 * age) + 15000 * (r.nextDouble() - 0.5);
      sb.append(r.nextDouble() < 0.04 ? "" : String.format(Locale.ROOT, "%.1f", size))
          .append(',')
          .append(rooms)
          .append(',')
          .append(age)
          .append(',')
          .append(location)
          .append(',')
          .append(String.format(Locale.ROOT, "%.0f", price))
          .append('\n');
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
