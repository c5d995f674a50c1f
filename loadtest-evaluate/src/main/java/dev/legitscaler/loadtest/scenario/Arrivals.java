package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How many requests a stream sends in a short slot of time. */
public enum Arrivals {
  /** Poisson counts: what many independent clients produce; counts vary around the rate. */
  @JsonProperty("poisson") POISSON,
  /** Counts equal to the rate (randomly rounded); only the times inside a slot are random. */
  @JsonProperty("even") EVEN
}
