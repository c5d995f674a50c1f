package dev.legitscaler.loadtest.generate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a generator run did.
 *
 * @param windows per wall-clock window: records due (target) and records handed to the producer
 * @param maxBehind the largest lateness of a send against its scheduled time
 * @param errors failed sends by exception type
 */
public record GeneratorReport(
    long scheduled, long sent, long acked, Map<String, Long> errors, Duration elapsed, Duration maxBehind,
    Duration window, List<Window> windows, boolean stoppedEarly) {

  /** One window of wall-clock time. */
  public record Window(int index, long target, long sent) {
    /** sent / target, or 1 when nothing was due. */
    public double accuracy() {
      return target == 0 ? (sent == 0 ? 1.0 : Double.POSITIVE_INFINITY) : sent / (double) target;
    }
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Records handed to the producer per wall second over the whole run. */
  public double meanSendRate() {
    return sent / Math.max(1e-9, elapsed.toNanos() / 1e9);
  }
}
