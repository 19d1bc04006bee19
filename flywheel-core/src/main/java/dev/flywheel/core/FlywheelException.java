package dev.flywheel.core;

/**
 * The root of Flywheel's own failures. Each subclass maps to one process exit code, so that scripts
 * can tell bad input from broken infrastructure without parsing messages.
 *
 * <p>Messages are written for users: they name the input, the value, the rule and the fix. Use
 * {@link BadInputException} for anything the user can correct in a spec, data or argument, and
 * {@link InfrastructureException} for databases, networks and disks. Anything else is a bug and
 * surfaces as an internal error.
 */
public abstract sealed class FlywheelException extends RuntimeException
    permits BadInputException, InfrastructureException {

  protected FlywheelException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code that this failure maps to (see docs/cli.md). */
  public abstract int exitCode();
}
