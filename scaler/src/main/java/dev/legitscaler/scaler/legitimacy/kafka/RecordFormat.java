package dev.legitscaler.scaler.legitimacy.kafka;

import java.util.Optional;

/** What the scorer's topic carries: the model's own request records, or a gateway's access log. */
public sealed interface RecordFormat {

  /**
   * Request records as the model consumes them.
   *
   * @param clientIdHeader header naming the client; the record key when the header is absent or empty
   * @param validityHeader optional header saying whether the payload is valid ({@code false}, {@code 0},
   *     {@code invalid} or {@code no} mean invalid; anything else, or no header, valid)
   */
  record Requests(String clientIdHeader, Optional<String> validityHeader) implements RecordFormat {}

  /**
   * One JSON object per record, one per HTTP request, as shipped by a gateway or ingress.
   *
   * @param clientIdPath field holding the client identity (dotted path, e.g. {@code client.ip})
   * @param statusPath field holding the HTTP status; a status in [invalidStatusFrom, invalidStatusTo]
   *     marks the request invalid
   * @param timestampPath optional field with the request time (epoch millis, epoch seconds with a
   *     fraction, or ISO-8601); the record timestamp when absent
   */
  record AccessLog(String clientIdPath, String statusPath, Optional<String> timestampPath, int invalidStatusFrom,
      int invalidStatusTo) implements RecordFormat {}
}
