package dev.flywheel.core;

/** A database, network or disk failed us. Exit code 4. */
public final class InfrastructureException extends FlywheelException {

  public InfrastructureException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return 4;
  }
}
