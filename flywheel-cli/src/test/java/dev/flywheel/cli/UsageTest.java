package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and usage errors. */
class UsageTest {

  @Test
  void versionNamesFlywheelAndJava() {
    CliRunner.Result r = CliRunner.run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("flywheel ").contains("Java ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "run", "serve", "models", "models list", "data", "data profile"})
  void everyCommandHasHelp(String command) {
    String[] args = (command + " --help").trim().split(" ");

    CliRunner.Result r = CliRunner.run(args);

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("Usage: flywheel", "--help");
  }

  @Test
  void unknownCommandIsAUsageError() {
    CliRunner.Result r = CliRunner.run("trian");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unmatched argument", "trian");
  }

  @Test
  void unknownFlagIsAUsageError() {
    CliRunner.Result r = CliRunner.run("run", "--jsn");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--jsn");
  }

  @Test
  void noCommandPrintsUsage() {
    CliRunner.Result r = CliRunner.run();

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing command");
  }

  @Test
  void threadsMustBePositive() {
    CliRunner.Result r = CliRunner.run("run", "--threads", "0");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--threads: 0 must be at least 1");
  }
}
