package dev.legitscaler.loadtest.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The JSON body of a prediction request: {@code {"id":"<event id>","features":[f0, ..., f7]}}.
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

  /**
   * The body of an event: valid features drawn from (seed, eventId), or one of several malformed forms
   * (not JSON, truncated, wrong length, non-numeric feature, missing features).
   */
  public static byte[] forEvent(long seed, long eventId, boolean valid) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + eventId);
    StringBuilder sb = new StringBuilder(160);
    sb.append("{\"id\":\"").append(eventId).append("\",\"features\":[");
    int count = valid ? FEATURES : 0;
    int variant = valid ? -1 : random.nextInt(5);
    if (variant == 2) {
      count = FEATURES - 3;
    } else if (variant == 1 || variant == 3) {
      count = FEATURES;
    }
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (variant == 3 && i == 4) {
        sb.append("\"high\"");
      } else {
        appendFixed4(sb, random.nextDouble(-1, 1));
      }
    }
    sb.append("]}");
    String body = switch (variant) {
      case 0 -> "<request id=" + eventId + ">";
      case 1 -> sb.substring(0, sb.length() / 2);
      case 4 -> "{\"id\":\"" + eventId + "\",\"input\":null}";
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
