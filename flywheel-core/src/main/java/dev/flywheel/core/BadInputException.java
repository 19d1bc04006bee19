package dev.flywheel.core;

/** Bad input: a spec, data or argument value that the user can fix. Exit code 1. */
public final class BadInputException extends FlywheelException {

  public BadInputException(String message) {
    super(message, null);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 1;
  }
}
