package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** How a source spaces its requests in time. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Timing.Poisson.class, name = "poisson"),
  @JsonSubTypes.Type(value = Timing.Periodic.class, name = "periodic"),
})
public sealed interface Timing {

  /** Independent arrivals: what people produce (inter-arrival coefficient of variation ≈ 1). */
  record Poisson() implements Timing {}

  /**
   * Scripted: one request every 1 / rate seconds per source, each moved by up to ± {@code jitter} / 2
   * of the period (uniform). Only attacks can be periodic.
   */
  record Periodic(@JsonProperty("jitter") Double jitter) implements Timing {
    public double jitterOrDefault() {
      return jitter == null ? 0.1 : jitter;
    }
  }
}
