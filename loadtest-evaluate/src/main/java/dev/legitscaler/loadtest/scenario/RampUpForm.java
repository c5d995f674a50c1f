package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an attack reaches its full rate over {@code rampUp}. */
public enum RampUpForm {
  /** Every source from the start, each source's rate ramping linearly from 0 (the default). */
  @JsonProperty("rate") RATE,
  /** Sources joining linearly, each at its full rate from the moment it joins. */
  @JsonProperty("join") JOIN
}
