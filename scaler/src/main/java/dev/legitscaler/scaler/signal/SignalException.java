package dev.legitscaler.scaler.signal;

/**
 * A refresh that failed. {@code cause} is a short machine-friendly category used as a metric label
 * ({@code timeout}, {@code connect}, {@code http_5xx}, {@code bad_response}, {@code unknown_topic}, ...);
 * the message is what Explain shows.
 */
public final class SignalException extends Exception {
  private final String category;

  public SignalException(String category, String message) {
    super(message);
    this.category = category;
  }

  public SignalException(String category, String message, Throwable cause) {
    super(message, cause);
    this.category = category;
  }

  public String category() {
    return category;
  }
}
