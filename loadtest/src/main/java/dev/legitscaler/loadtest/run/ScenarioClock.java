package dev.legitscaler.loadtest.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * Scenario time: runs {@code timeScale} times faster than the wall clock from the moment the traffic
 * starts. Everything that measures time in scenario terms (HPA stabilization windows and policy
 * periods, KEDA's cooldown, the recorded timeline) reads this clock, so they all compress together.
 */
public final class ScenarioClock extends Clock {
  private final double timeScale;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final Instant origin;
  private final Instant wallOrigin;

  public ScenarioClock(double timeScale, LongSupplier nanoTime, Instant origin) {
    this.timeScale = timeScale;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.origin = origin;
    this.wallOrigin = Instant.now();
  }

  /** Scenario seconds at a wall-clock instant (e.g. when a sink received a notification). */
  public double scenarioSeconds(Instant wall) {
    return Duration.between(wallOrigin, wall).toNanos() * timeScale / 1e9;
  }

  /** Scenario time elapsed since the start. */
  public Duration elapsed() {
    return Duration.ofNanos((long) ((nanoTime.getAsLong() - startNanos) * timeScale));
  }

  public double seconds() {
    return (nanoTime.getAsLong() - startNanos) * timeScale / 1e9;
  }

  /** The wall-clock length of a scenario duration. */
  public Duration wall(Duration scenario) {
    return Duration.ofNanos((long) (scenario.toNanos() / timeScale));
  }

  public double timeScale() {
    return timeScale;
  }

  @Override
  public Instant instant() {
    return origin.plus(elapsed());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("scenario time has no zone");
  }
}
