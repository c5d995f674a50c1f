package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.legitimacy.scoring.RequestAttributes;

/** The outcome of reading one record: an event for the scorer, or the reason it was skipped. */
public sealed interface TrafficEvent {

  record Observed(String clientId, long timestampMillis, boolean valid, RequestAttributes attributes)
      implements TrafficEvent {
    public Observed(String clientId, long timestampMillis, boolean valid) {
      this(clientId, timestampMillis, valid, RequestAttributes.NONE);
    }
  }

  /** @param cause short category used as a counter key ({@code no_client_id}, {@code bad_json}, ...) */
  record Malformed(String cause) implements TrafficEvent {}
}
