package dev.flywheel.server;

/**
 * An error answered to an HTTP caller, with the body of INTERFACES.md: {@code {"error": {"code",
 * "message", "pointer"}}}. Handlers throw it; {@link Routes} turns it into a response in one place.
 */
final class ApiError extends RuntimeException {

  private final int status;
  private final String code;
  private final String pointer;

  ApiError(int status, String code, String message, String pointer) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.pointer = pointer;
  }

  static ApiError badRequest(String code, String message, String pointer) {
    return new ApiError(400, code, message, pointer);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String pointer() {
    return pointer;
  }
}
