package dev.legitscaler.loadtest.hpa;

import java.time.Instant;

/**
 * A past scale-up or scale-down (upstream timestampedScaleEvent).
 *
 * @param change number of replicas added or removed (always positive)
 * @param outdated older than the longest policy period: the slot may be reused for a new event
 */
public record ScaleEvent(int change, Instant at, boolean outdated) {
  public ScaleEvent(int change, Instant at) {
    this(change, at, false);
  }
}
