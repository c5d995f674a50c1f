package dev.legitscaler.loadtest.model;

import java.time.Duration;

/**
 * Busy fraction of the worker capacity over a short sliding window: (busy slot-time in the window) /
 * (slots × window). Sampled periodically; {@link #ratio()} is what {@code ml_model_saturation_ratio}
 * exports. A short window keeps it responsive while hiding the per-request on/off of single slots.
 */
public final class SaturationMeter {

  private final WorkerSlots slots;
  private final long[] sampleTimes;
  private final long[] sampleBusy;
  private int next;
  private int filled;
  private volatile double ratio;

  public SaturationMeter(WorkerSlots slots, Duration window, Duration sampleEvery) {
    this.slots = slots;
    int samples = (int) Math.max(2, window.toNanos() / sampleEvery.toNanos() + 1);
    sampleTimes = new long[samples];
    sampleBusy = new long[samples];
    sample();
  }

  /** Takes a sample and recomputes the ratio; called by one thread. */
  public synchronized void sample() {
    long now = slots.clock().nanoTime();
    long busy = slots.busyNanos(now);
    sampleTimes[next] = now;
    sampleBusy[next] = busy;
    int oldest = filled < sampleTimes.length ? 0 : (next + 1) % sampleTimes.length;
    next = (next + 1) % sampleTimes.length;
    filled = Math.min(filled + 1, sampleTimes.length);
    long elapsed = now - sampleTimes[oldest];
    if (elapsed > 0) {
      double r = (busy - sampleBusy[oldest]) / ((double) elapsed * slots.slots());
      ratio = Math.max(0, Math.min(1, r));
    }
  }

  public double ratio() {
    return ratio;
  }
}
