package dev.flywheel.cli;

/** The process exit codes of INTERFACES.md. */
public final class ExitCodes {

  public static final int OK = 0;
  public static final int BAD_INPUT = 1;
  public static final int USAGE = 2;
  public static final int GATE_REFUSED = 3;
  public static final int INFRASTRUCTURE = 4;
  public static final int INTERNAL = 70;

  private ExitCodes() {}
}
