package dev.legitscaler.loadtest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.scenario.PayloadShape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The JSON body of a prediction request: {@code {"features":[f0, ..., f7]}} (an optional {@code "id"} is
 * echoed back).
 * The generator builds valid and deliberately invalid bodies; the model service parses them.
 */
public final class RequestPayload {

  public static final int FEATURES = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parsed request. */
  public record Parsed(String id, double[] features) {}

  /** A body the model must reject, with the reason. */
  public static final class InvalidPayloadException extends Exception {
    public InvalidPayloadException(String reason) {
      super(reason);
    }
  }

  private RequestPayload() {}

  /** Distinct bodies per seed (and per validity): enough variety for the model, cheap enough to cache. */
  public static final int VARIANTS = 4096;

  /**
   * The body of an event: one of {@link #VARIANTS} bodies chosen by (seed, eventId). Valid bodies hold 8
   * features; invalid ones are malformed in one of several ways (not JSON, truncated, wrong length,
   * non-numeric feature, missing features). Bodies carry no id (the event-id header does), so that the
   * generator can reuse them: building a body per record would halve its peak rate.
   */
  public static byte[] forEvent(long seed, long eventId, boolean valid) {
    return build(seed, variantOf(seed, eventId), valid);
  }

  public static int variantOf(long seed, long eventId) {
    long z = seed * 0x9E3779B97F4A7C15L + eventId;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return (int) Long.remainderUnsigned(z ^ (z >>> 31), VARIANTS);
  }

  /**
   * The body of an event whose population's payloads have the given shape (invalid bodies are the same
   * for every shape). {@code reference} gives exactly {@link #forEvent}'s bodies.
   */
  public static byte[] forEvent(long seed, long eventId, boolean valid, PayloadShape shape) {
    return build(seed, variantOf(seed, eventId), valid, shape);
  }

  /** The features of a valid body of that variant and shape (what the model would read). */
  public static double[] features(long seed, int variantIndex, PayloadShape shape) {
    int variant = shape instanceof PayloadShape.Replayed r ? Math.floorMod(variantIndex, r.set()) : variantIndex;
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + variant * 2L);
    double[] x = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      double v = random.nextDouble(-1, 1);
      if (shape instanceof PayloadShape.Shifted sh) {
        v += sh.shift();
      } else if (shape instanceof PayloadShape.Random) {
        v *= 5;
      }
      x[i] = v;
    }
    return x;
  }

  static byte[] build(long seed, int variantIndex, boolean valid, PayloadShape shape) {
    if (!valid || shape instanceof PayloadShape.Reference) {
      return build(seed, variantIndex, valid);
    }
    double[] x = features(seed, variantIndex, shape);
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"features\":[");
    for (int i = 0; i < x.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendFixed4(sb, x[i]);
    }
    return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] build(long seed, int variantIndex, boolean valid) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + variantIndex * 2L + (valid ? 0 : 1));
    StringBuilder sb = new StringBuilder(128);
    sb.append("{\"features\":[");
    int count = valid ? FEATURES : 0;
    int malformation = valid ? -1 : random.nextInt(5);
    if (malformation == 2) {
      count = FEATURES - 3;
    } else if (malformation == 1 || malformation == 3) {
      count = FEATURES;
    }
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (malformation == 3 && i == 4) {
        sb.append("\"high\"");
      } else {
        appendFixed4(sb, random.nextDouble(-1, 1));
      }
    }
    sb.append("]}");
    String body = switch (malformation) {
      case 0 -> "<request variant=" + variantIndex + ">";
      case 1 -> sb.substring(0, sb.length() / 2);
      case 4 -> "{\"input\":null}";
      default -> sb.toString();
    };
    return body.getBytes(StandardCharsets.UTF_8);
  }

  /** Appends v with 4 decimals; String.format is ten times slower and this runs for every record. */
  static void appendFixed4(StringBuilder sb, double v) {
    long scaled = Math.round(v * 10_000);
    if (scaled < 0) {
      sb.append('-');
      scaled = -scaled;
    }
    sb.append(scaled / 10_000).append('.');
    long frac = scaled % 10_000;
    if (frac < 1000) {
      sb.append('0');
    }
    if (frac < 100) {
      sb.append('0');
    }
    if (frac < 10) {
      sb.append('0');
    }
    sb.append(frac);
  }

  /** Parses a body; anything but an object with {@value #FEATURES} finite numbers is invalid. */
  public static Parsed parse(byte[] body) throws InvalidPayloadException {
    if (body == null || body.length == 0) {
      throw new InvalidPayloadException("empty body");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new InvalidPayloadException("not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidPayloadException("not a JSON object");
    }
    JsonNode features = root.get("features");
    if (features == null || !features.isArray()) {
      throw new InvalidPayloadException("missing features array");
    }
    if (features.size() != FEATURES) {
      throw new InvalidPayloadException("expected " + FEATURES + " features, got " + features.size());
    }
    double[] x = new double[FEATURES];
    for (int i = 0; i < FEATURES; i++) {
      JsonNode f = features.get(i);
      if (!f.isNumber() || !Double.isFinite(f.doubleValue())) {
        throw new InvalidPayloadException("feature " + i + " is not a number");
      }
      x[i] = f.doubleValue();
    }
    JsonNode id = root.get("id");
    return new Parsed(id == null ? "" : id.asText(), x);
  }
}
