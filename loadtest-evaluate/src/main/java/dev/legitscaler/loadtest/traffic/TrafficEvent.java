package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.PayloadShape;
import java.time.Duration;

/**
 * One request of a scenario, in scenario time.
 *
 * @param atNanos when it is sent, nanoseconds since the scenario start
 * @param eventId unique within the scenario and stable per seed (slot × 2^20 + sequence)
 * @param clientId the client identity (an IPv4 address, so it also fills X-Forwarded-For)
 * @param address the network address the request comes from when it is not the identity, else null: a
 *     known identity used from an attack's own networks (a hijacked account behind a botnet)
 * @param valid whether the payload is one the model accepts
 * @param phase the legitimate load phase at that time (also on attack requests: it is what a header
 *     shows, and an attack must not be identifiable from its headers)
 * @param stream {@code legitimate} or the attack's name: ground truth, never sent on the wire
 * @param attack whether the request belongs to an attack (ground truth)
 * @param userAgent the request's user agent, or null when the scenario's profile has none
 * @param path the request path, or null
 * @param tlsFingerprint the client's TLS fingerprint as a gateway reports it, or null
 * @param payload what the request's features look like (never on the wire as such: the body shows it)
 */
public record TrafficEvent(
    long atNanos, long eventId, String clientId, String address, boolean valid, String phase, String stream, boolean attack,
    String userAgent, String path, String tlsFingerprint, PayloadShape payload) {

  public static final String LEGITIMATE = "legitimate";

  /** Where the request comes from: the address when one is set, else the identity (itself an address). */
  public String sourceAddress() {
    return address != null ? address : clientId;
  }

  public Duration at() {
    return Duration.ofNanos(atNanos);
  }
}
