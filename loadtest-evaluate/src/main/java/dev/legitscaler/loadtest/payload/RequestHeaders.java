package dev.legitscaler.loadtest.payload;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names of a request record (all values UTF-8 text) and of the HTTP requests replayed from them.
 * The scaler's legitimacy source reads {@link #CLIENT_ID} (falling back to the record key).
 */
public final class RequestHeaders {

  /** The client identity (an IPv4 address). */
  public static final String CLIENT_ID = "client-id";
  /** The intended send time: epoch microseconds. Latency is measured from it (no coordinated omission). */
  public static final String SEND_TS = "send-ts";
  /** The scenario's load phase. */
  public static final String PHASE = "scenario-phase";
  /** The event's id in the scenario (stable per seed). */
  public static final String EVENT_ID = "event-id";
  /**
   * Whether the payload passed the gateway's schema check ({@code true}/{@code false}): what the scaler's
   * {@code legitimacyValidityHeader} reads. Without it the scorer counts every record valid.
   */
  public static final String VALID = "request-valid";

  /**
   * The address the request came from, only when it is not the client id (a hijacked identity used from
   * an attack's own networks): what a scorer configured with {@code legitimacyAddressHeader: client-address}
   * reads; without the header the client id is the address.
   */
  public static final String CLIENT_ADDRESS = "client-address";
  /** The client's user agent (only when the scenario's profile has user agents). */
  public static final String USER_AGENT = "user-agent";
  /** The request path. */
  public static final String PATH = "request-path";
  /** The client's TLS fingerprint as the gateway computed it (e.g. JA3/JA4). */
  public static final String TLS_FINGERPRINT = "tls-fingerprint";

  /** HTTP: the client identity. */
  public static final String HTTP_CLIENT_ID = "X-Client-Id";
  /** HTTP: the original client address. */
  public static final String HTTP_FORWARDED_FOR = "X-Forwarded-For";
  /** HTTP: the intended send time, epoch microseconds. */
  public static final String HTTP_SEND_TS = "X-Send-Ts";
  /** HTTP: the scenario phase. */
  public static final String HTTP_PHASE = "X-Scenario-Phase";

  private RequestHeaders() {}

  /** The header's last value as text, or null. */
  public static String text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The send timestamp in epoch microseconds, or -1 when absent or malformed. */
  public static long sendTimestampMicros(Headers headers) {
    return parseMicros(text(headers, SEND_TS));
  }

  public static long parseMicros(String text) {
    if (text == null) {
      return -1;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
