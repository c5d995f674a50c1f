package dev.legitscaler.scaler.legitimacy.kafka;

/** The outcome of reading one record: an event for the scorer, or the reason it was skipped. */
public sealed interface TrafficEvent {

  record Observed(String clientId, long timestampMillis, boolean valid) implements TrafficEvent {}

  /** @param cause short category used as a counter key ({@code no_client_id}, {@code bad_json}, ...) */
  record Malformed(String cause) implements TrafficEvent {}
}
