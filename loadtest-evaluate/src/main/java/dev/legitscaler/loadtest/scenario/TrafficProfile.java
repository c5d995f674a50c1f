package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a population (the legitimate clients or one attack) looks like on the wire besides its rate:
 * the networks its addresses come from, the attributes its requests carry, how its requests are spaced
 * in time and what its payloads hold. Every part is optional; a scenario without a profile produces the
 * traffic it always did (random public IPv4 identities, no attribute headers, reference payloads).
 *
 * @param networks the address pool: how many network prefixes, how concentrated
 * @param userAgents the user-agent pool (one value per client)
 * @param paths the request-path pool (one value per request)
 * @param tlsFingerprints the TLS fingerprint pool (one value per client, as a gateway reports it)
 * @param timing how each source spaces its requests
 * @param payload what the model's input features look like
 */
public record TrafficProfile(
    @JsonProperty("networks") NetworkPool networks,
    @JsonProperty("userAgents") AttributePool userAgents,
    @JsonProperty("paths") AttributePool paths,
    @JsonProperty("tlsFingerprints") AttributePool tlsFingerprints,
    @JsonProperty("timing") Timing timing,
    @JsonProperty("payload") PayloadShape payload) {

  public static final TrafficProfile NONE = new TrafficProfile(null, null, null, null, null, null);

  public Timing timingOrDefault() {
    return timing == null ? new Timing.Poisson() : timing;
  }

  public PayloadShape payloadOrDefault() {
    return payload == null ? new PayloadShape.Reference() : payload;
  }
}
