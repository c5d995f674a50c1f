package dev.legitscaler.loadtest.payload;

/**
 * The bodies of one seed, built once and reused: {@code body(eventId, valid)} equals
 * {@link RequestPayload#forEvent} but costs an array lookup. Producers never modify record values, so
 * sharing the arrays is safe. Meant for one sending thread.
 */
public final class PayloadPool {

  private final long seed;
  private final byte[][] valid = new byte[RequestPayload.VARIANTS][];
  private final byte[][] invalid = new byte[RequestPayload.VARIANTS][];

  public PayloadPool(long seed) {
    this.seed = seed;
  }

  public byte[] body(long eventId, boolean isValid) {
    int variant = RequestPayload.variantOf(seed, eventId);
    byte[][] cache = isValid ? valid : invalid;
    byte[] body = cache[variant];
    if (body == null) {
      body = RequestPayload.build(seed, variant, isValid);
      cache[variant] = body;
    }
    return body;
  }
}
