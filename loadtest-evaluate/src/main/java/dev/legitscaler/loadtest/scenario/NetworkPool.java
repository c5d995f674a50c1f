package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a population's addresses come from: {@code prefixes} networks (IPv4 /24 or IPv6 /48), clients
 * spread over them by a Zipf law of exponent {@code concentration} (0 = evenly; 1 = the first network
 * holds about 1 / ln(prefixes) of the clients).
 *
 * @param values {@code shared}: the legitimate population's networks; {@code own}: networks of its own
 */
public record NetworkPool(
    @JsonProperty("prefixes") Integer prefixes,
    @JsonProperty("concentration") Double concentration,
    @JsonProperty("family") AddressFamily family,
    @JsonProperty("values") PoolValues values) {

  /** IPv4 (/24 networks) or IPv6 (/48 networks). */
  public enum AddressFamily {
    @JsonProperty("ipv4") IPV4,
    @JsonProperty("ipv6") IPV6
  }

  public double concentrationOrDefault() {
    return concentration == null ? 0.0 : concentration;
  }

  public AddressFamily familyOrDefault() {
    return family == null ? AddressFamily.IPV4 : family;
  }

  public PoolValues valuesOrDefault() {
    return values == null ? PoolValues.OWN : values;
  }
}
