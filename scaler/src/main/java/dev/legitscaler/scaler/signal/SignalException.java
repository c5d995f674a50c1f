package dev.legitscaler.scaler.signal;

import dev.legitscaler.scaler.text.SafeText;

/**
 * A refresh that failed. {@code cause} is a short machine-friendly category used as a metric label
 * ({@code timeout}, {@code connect}, {@code http_5xx}, {@code bad_response}, {@code unknown_topic}, ...);
 * the message is what Explain shows and what is logged, so it is escaped and bounded here, whatever
 * upstream text it quotes ({@link SafeText}).
 */
public final class SignalException extends Exception {
  private final String category;

  /** Bound of a message: room for our own words around one {@link SafeText#ECHO_LIMIT} quote. */
  static final int MESSAGE_LIMIT = 2 * SafeText.ECHO_LIMIT + 200;

  public SignalException(String category, String message) {
    super(SafeText.bounded(message, MESSAGE_LIMIT));
    this.category = category;
  }

  public SignalException(String category, String message, Throwable cause) {
    super(SafeText.bounded(message, MESSAGE_LIMIT), cause);
    this.category = category;
  }

  public String category() {
    return category;
  }
}
