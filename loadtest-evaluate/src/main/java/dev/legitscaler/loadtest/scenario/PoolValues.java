package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a pool's values are the legitimate population's own values or values of its own. */
public enum PoolValues {
  /** The same values as the legitimate pool of that kind (mimicry): value i is the same string. */
  @JsonProperty("shared") SHARED,
  /** Values no legitimate client uses. */
  @JsonProperty("own") OWN
}
