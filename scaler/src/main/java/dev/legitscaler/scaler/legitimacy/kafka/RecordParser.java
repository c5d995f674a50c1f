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
import java.util.Optional;
import dev.legitscaler.scaler.legitimacy.scoring.DimensionParameters;
import dev.legitscaler.scaler.legitimacy.scoring.RequestAttributes;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Turns one Kafka record (key, value, headers, timestamp) into a {@link TrafficEvent}. Stateless. */
public final class RecordParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final RecordFormat format;
  private final AttributeFields fields;

  public RecordParser(RecordFormat format) {
    this(format, AttributeFields.NONE);
  }

  public RecordParser(RecordFormat format, AttributeFields fields) {
    this.format = format;
    this.fields = fields;
  }

  public TrafficEvent parse(byte[] key, byte[] value, Headers headers, long recordTimestampMillis) {
    // RecordFormat is sealed: these two are the only kinds
    if (format instanceof Requests r) {
      return parseRequest(r, key, value, headers, recordTimestampMillis);
    }
    return parseAccessLog((AccessLog) format, value, recordTimestampMillis);
  }

  private TrafficEvent parseRequest(Requests r, byte[] key, byte[] value, Headers headers, long ts) {
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
    if (fields == AttributeFields.NONE) {
      return new Observed(client, ts, valid);
    }
    double[] features = null;
    if (fields.features().isPresent() && valid && value != null && value.length > 0) {
      try {
        JsonNode root = JSON.readTree(value);
        features = root == null ? null : features(at(root, fields.features().get()));
      } catch (java.io.IOException e) {
        features = null; // the model rejects it too: no features, the record still counts
      }
    }
    return new Observed(client, ts, valid, new RequestAttributes(header(headers, fields.address()),
        header(headers, fields.userAgent()), header(headers, fields.path()), header(headers, fields.tlsFingerprint()),
        features));
  }

  private static String header(Headers headers, Optional<String> name) {
    return name.isEmpty() ? null : lastHeader(headers, name.get());
  }

  private static String field(JsonNode root, Optional<String> path) {
    if (path.isEmpty()) {
      return null;
    }
    JsonNode n = at(root, path.get());
    return n == null || !n.isValueNode() ? null : n.asText();
  }

  /** The first {@link DimensionParameters#MAX_FEATURES} numbers of an array, or null. */
  static double[] features(JsonNode array) {
    if (array == null || !array.isArray() || array.isEmpty()) {
      return null;
    }
    int n = Math.min(array.size(), DimensionParameters.MAX_FEATURES);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      JsonNode v = array.get(i);
      if (!v.isNumber()) {
        return null;
      }
      x[i] = v.asDouble();
    }
    return x;
  }

  private TrafficEvent parseAccessLog(AccessLog a, byte[] value, long ts) {
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
    if (fields == AttributeFields.NONE) {
      return new Observed(client.asText(), t, valid);
    }
    double[] features = fields.features().isPresent() && valid ? features(at(root, fields.features().get())) : null;
    return new Observed(client.asText(), t, valid, new RequestAttributes(field(root, fields.address()),
        field(root, fields.userAgent()), field(root, fields.path()), field(root, fields.tlsFingerprint()), features));
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
