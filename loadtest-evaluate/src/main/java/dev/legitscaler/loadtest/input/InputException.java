package dev.legitscaler.loadtest.input;

/**
 * A file the user gave us is malformed. The message names the field (as a path, e.g.
 * {@code spec.triggers[0].metricType}) and the accepted form; CLIs map it to exit code 2.
 */
public final class InputException extends RuntimeException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
