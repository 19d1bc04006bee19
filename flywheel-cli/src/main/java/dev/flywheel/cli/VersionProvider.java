package dev.flywheel.cli;

import dev.flywheel.core.FlywheelVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code flywheel --version}. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "flywheel " + FlywheelVersion.get(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
