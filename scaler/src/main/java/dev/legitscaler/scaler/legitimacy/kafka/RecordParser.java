package dev.legitscaler.scaler.legitimacy.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.AccessLog;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.Requests;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Malformed;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Observed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Turns one Kafka record (key, value, headers, timestamp) into a {@link TrafficEvent}. Stateless. */
public final class RecordParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordFormat format;

  public RecordParser(RecordFormat format) {
    this.format = format;
  }

  public TrafficEvent parse(byte[] key, byte[] value, Headers headers, long recordTimestampMillis) {
    // RecordFormat is sealed: these two are the only kinds
    if (format instanceof Requests r) {
      return parseRequest(r, key, headers, recordTimestampMillis);
    }
    return parseAccessLog((AccessLog) format, value, recordTimestampMillis);
  }

  private static TrafficEvent parseRequest(Requests r, byte[] key, Headers headers, long ts) {
    String client = lastHeader(headers, r.clientIdHeader());
    if (client == null || client.isBlank()) {
      client = key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
    if (client == null || client.isBlank()) {
      return new Malformed("no_client_id");
    }
    boolean valid = true;
    if (r.validityHeader().isPresent()) {
      String v = lastHeader(headers, r.validityHeader().get());
      if (v != null) {
        valid = switch (v.trim().toLowerCase(Locale.ROOT)) {
          case "false", "0", "invalid", "no" -> false;
          default -> true;
        };
      }
    }
    return new Observed(client, ts, valid);
  }

  private static TrafficEvent parseAccessLog(AccessLog a, byte[] value, long ts) {
    if (value == null || value.length == 0) {
      return new Malformed("empty_value");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (java.io.IOException e) {
      return new Malformed("bad_json");
    }
    if (root == null || !root.isObject()) {
      return new Malformed("bad_json");
    }
    JsonNode client = at(root, a.clientIdPath());
    if (client == null || !client.isValueNode() || client.asText().isBlank()) {
      return new Malformed("no_client_id");
    }
    JsonNode status = at(root, a.statusPath());
    int code;
    if (status != null && status.isNumber()) {
      code = status.asInt();
    } else if (status != null && status.isTextual() && status.asText().matches("\\d{3}")) {
      code = Integer.parseInt(status.asText());
    } else {
      return new Malformed("no_status");
    }
    long t = ts;
    if (a.timestampPath().isPresent()) {
      JsonNode tn = at(root, a.timestampPath().get());
      if (tn != null) {
        Long parsed = timestamp(tn);
        if (parsed == null) {
          return new Malformed("bad_timestamp");
        }
        t = parsed;
      }
    }
    boolean valid = code < a.invalidStatusFrom() || code > a.invalidStatusTo();
    return new Observed(client.asText(), t, valid);
  }

  /** Epoch millis (numbers above 1e11), epoch seconds with an optional fraction, or ISO-8601. */
  static Long timestamp(JsonNode n) {
    if (n.isNumber()) {
      double d = n.asDouble();
      return d > 1e11 ? (long) d : (long) (d * 1000);
    }
    if (n.isTextual()) {
      String s = n.asText().trim();
      try {
        return Instant.parse(s).toEpochMilli();
      } catch (DateTimeParseException e) {
        try {
          double d = Double.parseDouble(s);
          return d > 1e11 ? (long) d : (long) (d * 1000);
        } catch (NumberFormatException ignored) {
          return null;
        }
      }
    }
    return null;
  }

  /** A dotted path ({@code a.b.c}) or a JSON Pointer ({@code /a/b/c}). */
  static JsonNode at(JsonNode root, String path) {
    if (path.startsWith("/")) {
      JsonNode n = root.at(path);
      return n.isMissingNode() ? null : n;
    }
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n.get(part);
      if (n == null) {
        return null;
      }
    }
    return n.isNull() ? null : n;
  }

  private static String lastHeader(Headers headers, String name) {
    if (headers == null) {
      return null;
    }
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
