package dev.legitscaler.loadtest.model;

import dev.legitscaler.loadtest.payload.RequestPayload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Serves one request inside an acquired worker slot: parse, predict, then hold the slot until the
 * configured service time has passed (emulating a heavier model), and record the outcome and the
 * end-to-end latency.
 */
public final class ModelService {

  /** What happened to a request; {@code score} is set when the outcome is OK. */
  public record Result(ModelMetrics.Outcome outcome, double score, String detail) {}

  private final LogisticModel model;
  private final long serviceTimeNanos;
  private final WorkerSlots slots;
  private final ModelMetrics metrics;
  private final Clock wallClock;

  public ModelService(LogisticModel model, Duration serviceTime, WorkerSlots slots, ModelMetrics metrics,
      Clock wallClock) {
    this.model = model;
    this.serviceTimeNanos = serviceTime.toNanos();
    this.slots = slots;
    this.metrics = metrics;
    this.wallClock = wallClock;
  }

  /**
   * Serves {@code body} in the slot the caller leased. {@code sendTsMicros} is the request's intended
   * send time (epoch µs), or -1 to measure from now; {@code readyNanos} is when the request reached this
   * instance (monotonic clock): the slot's schedule starts it then at the earliest.
   */
  public Result serveInSlot(WorkerSlots.Slot slot, byte[] body, long sendTsMicros, long readyNanos) {
    long fallbackStart = sendTsMicros > 0 ? sendTsMicros : epochMicros(wallClock.instant());
    Result result;
    try {
      RequestPayload.Parsed parsed = RequestPayload.parse(body);
      if (parsed.features().length != model.featureCount()) {
        throw new RequestPayload.InvalidPayloadException("expected " + model.featureCount() + " features");
      }
      result = new Result(ModelMetrics.Outcome.OK, model.predict(parsed.features()), parsed.id());
    } catch (RequestPayload.InvalidPayloadException e) {
      result = new Result(ModelMetrics.Outcome.INVALID, Double.NaN, e.getMessage());
    } catch (RuntimeException e) {
      result = new Result(ModelMetrics.Outcome.ERROR, Double.NaN, String.valueOf(e));
    }
    // rejecting a malformed body is cheap; a prediction costs the full service time
    long cost = result.outcome() == ModelMetrics.Outcome.INVALID ? 0 : serviceTimeNanos;
    long end = slots.begin(slot, readyNanos, cost);
    slots.clock().parkUntil(end);
    slots.end(slot);
    metrics.count(result.outcome());
    metrics.observeSeconds((epochMicros(wallClock.instant()) - fallbackStart) / 1e6);
    return result;
  }

  /** The wall clock now, epoch µs. */
  public long nowMicros() {
    return epochMicros(wallClock.instant());
  }

  static long epochMicros(Instant t) {
    return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
  }
}
