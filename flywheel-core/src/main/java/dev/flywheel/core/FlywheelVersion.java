package dev.flywheel.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Flywheel version this binary was built as, recorded in every run and bundle. */
public final class FlywheelVersion {

  private static final String VERSION = load();

  private FlywheelVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = FlywheelVersion.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
