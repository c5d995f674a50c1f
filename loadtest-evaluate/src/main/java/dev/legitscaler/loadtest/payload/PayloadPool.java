package dev.legitscaler.loadtest.payload;

import dev.legitscaler.loadtest.scenario.PayloadShape;
import java.util.HashMap;
import java.util.Map;

/**
 * The bodies of one seed, built once and reused: {@code body(eventId, valid)} equals
 * {@link RequestPayload#forEvent} but costs an array lookup. Producers never modify record values, so
 * sharing the arrays is safe. Meant for one sending thread.
 */
public final class PayloadPool {

  private static final PayloadShape REFERENCE = new PayloadShape.Reference();

  private final long seed;
  private final byte[][] invalid = new byte[RequestPayload.VARIANTS][];
  private final Map<PayloadShape, byte[][]> valid = new HashMap<>();
  private final Map<PayloadShape, double[][]> features = new HashMap<>();

  public PayloadPool(long seed) {
    this.seed = seed;
  }

  public byte[] body(long eventId, boolean isValid) {
    return body(eventId, isValid, REFERENCE);
  }

  /** The body of an event of a population whose payloads have {@code shape}. */
  public byte[] body(long eventId, boolean isValid, PayloadShape shape) {
    int variant = RequestPayload.variantOf(seed, eventId);
    byte[][] cache = isValid ? valid.computeIfAbsent(shape == null ? REFERENCE : shape,
        s -> new byte[RequestPayload.VARIANTS][]) : invalid;
    byte[] body = cache[variant];
    if (body == null) {
      body = RequestPayload.build(seed, variant, isValid, shape == null ? REFERENCE : shape);
      cache[variant] = body;
    }
    return body;
  }

  /** The features the model reads from a valid body of this event (shared array: do not modify). */
  public double[] features(long eventId, PayloadShape shape) {
    PayloadShape s = shape == null ? REFERENCE : shape;
    int variant = RequestPayload.variantOf(seed, eventId);
    double[][] cache = features.computeIfAbsent(s, k -> new double[RequestPayload.VARIANTS][]);
    double[] x = cache[variant];
    if (x == null) {
      x = RequestPayload.features(seed, variant, s);
      cache[variant] = x;
    }
    return x;
  }
}
