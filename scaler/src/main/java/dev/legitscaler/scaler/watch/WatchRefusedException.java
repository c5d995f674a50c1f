package dev.legitscaler.scaler.watch;

/**
 * A valid trigger the server will not watch because a server-wide limit is reached (watches, watches
 * per namespace, scorer memory budget). Answered as RESOURCE_EXHAUSTED; the message names the limit,
 * its flag and the current use.
 *
 * @see dev.legitscaler.scaler.config.ServerLimits
 */
public final class WatchRefusedException extends RuntimeException {
  private final String limit;

  public WatchRefusedException(String limit, String message) {
    super(message);
    this.limit = limit;
  }

  /** Which limit refused: {@code watches}, {@code watches_per_namespace} or {@code memory_budget}. */
  public String limit() {
    return limit;
  }
}
