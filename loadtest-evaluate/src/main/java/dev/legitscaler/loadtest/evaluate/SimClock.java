package dev.legitscaler.loadtest.evaluate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The simulation's clock: moved only by the evaluation loop, never reads the wall clock. */
final class SimClock extends Clock {
  private final Instant origin;
  private long nowMillis;

  SimClock(Instant origin) {
    this.origin = origin;
  }

  void setMillis(long scenarioMillis) {
    nowMillis = scenarioMillis;
  }

  @Override
  public Instant instant() {
    return origin.plusMillis(nowMillis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
