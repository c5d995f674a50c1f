package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Locale;

/** Why one client was flagged. */
public enum ClientFlag {
  /** Above the population band and no history that would explain it. */
  RATE_ABOVE_POPULATION,
  /** Above the population band and above {@code ownHistoryFactor} times its own usual rate. */
  RATE_ABOVE_OWN_HISTORY;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
