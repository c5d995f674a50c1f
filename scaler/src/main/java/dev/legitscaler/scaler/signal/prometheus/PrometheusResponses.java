package dev.legitscaler.scaler.signal.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.text.SafeText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Parses the JSON of {@code /api/v1/query}: the success envelope, or Prometheus' own error. */
final class PrometheusResponses {
  // ObjectReader is immutable and thread-safe, unlike a configurable ObjectMapper.
  private static final ObjectReader JSON = new ObjectMapper().reader();
  private static final int SNIPPET = 200;

  private PrometheusResponses() {}

  /** A successful answer's data; {@code prometheus_error} or {@code bad_response} otherwise. */
  static QueryResult parseSuccess(byte[] body) throws SignalException {
    return parseSuccess(body, Integer.MAX_VALUE);
  }

  /** As {@link #parseSuccess(byte[])}; a vector of more than {@code maxSeries} series is {@code too_many_series}. */
  static QueryResult parseSuccess(byte[] body, int maxSeries) throws SignalException {
    JsonNode root = readJson(body)
        .orElseThrow(() -> badResponse("answer is not JSON: " + snippet(body)));
    Optional<SignalException> error = prometheusError(root, 200);
    if (error.isPresent()) {
      throw error.get();
    }
    if (!"success".equals(root.path("status").asText())) {
      throw badResponse("answer has no status 'success': " + snippet(body));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    switch (type) {
      case "vector":
        if (result.isArray() && result.size() > maxSeries) {
          throw new SignalException("too_many_series", "query returned " + result.size()
              + " series; the server accepts at most " + maxSeries + " per query (--max-series-per-query):"
              + " aggregate it, e.g. sum by (pod) (...)");
        }
        return vector(result);
      case "scalar":
        return new QueryResult.Scalar(value(result, "scalar result"));
      case "":
        throw badResponse("answer has no data.resultType: " + snippet(body));
      default:
        throw badResponse("query returned a " + type + "; expected an instant vector or a scalar");
    }
  }

  /** Prometheus' error envelope ({@code status: error}) if the body is one, whatever the HTTP code. */
  static Optional<SignalException> prometheusError(byte[] body, int httpStatus) {
    return readJson(body).flatMap(root -> prometheusError(root, httpStatus));
  }

  private static Optional<SignalException> prometheusError(JsonNode root, int httpStatus) {
    if (!"error".equals(root.path("status").asText())) {
      return Optional.empty();
    }
    String errorType = root.path("errorType").asText("unknown");
    String error = root.path("error").asText("");
    return Optional.of(new SignalException("prometheus_error",
        "Prometheus answered HTTP " + httpStatus + " errorType=" + SafeText.bounded(errorType, 40) + ": "
            + SafeText.bounded(error, SafeText.ECHO_LIMIT)));
  }

  private static QueryResult.Vector vector(JsonNode result) throws SignalException {
    if (!result.isArray()) {
      throw badResponse("vector result is not an array");
    }
    List<QueryResult.Sample> samples = new ArrayList<>(result.size());
    for (JsonNode series : result) {
      JsonNode metric = series.path("metric");
      if (!metric.isObject() && !metric.isMissingNode()) {
        throw badResponse("series has a non-object 'metric'");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        labels.put(e.getKey(), e.getValue().asText());
      }
      if (series.has("histogram") && !series.has("value")) {
        throw badResponse("series " + labels + " is a native histogram; expected a float value");
      }
      samples.add(new QueryResult.Sample(labels, value(series.path("value"), "series " + labels)));
    }
    return new QueryResult.Vector(samples);
  }

  /** {@code [ <unix time>, "<value>" ]}; Prometheus writes values as strings, with NaN, +Inf, -Inf. */
  private static double value(JsonNode pair, String what) throws SignalException {
    if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
      throw badResponse(what + " has no [time, \"value\"] pair");
    }
    String text = pair.get(1).asText();
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          double d = Double.parseDouble(text);
          if (!Double.isFinite(d)) {
            // Java also accepts "Infinity"/"NaN" spellings Prometheus never writes.
            throw new NumberFormatException(text);
          }
          return d;
        } catch (NumberFormatException e) {
          throw badResponse(what + " has a value that is not a number: '" + abbreviate(text) + "'");
        }
    }
  }

  private static Optional<JsonNode> readJson(byte[] body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n != null && n.isObject() ? Optional.of(n) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static SignalException badResponse(String message) {
    return new SignalException("bad_response", message);
  }

  /** The start of a body, printable, for error messages. */
  static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, SNIPPET * 4), java.nio.charset.StandardCharsets.UTF_8);
    return body.length == 0 ? "(empty body)" : "'" + abbreviate(s) + "'";
  }

  private static String abbreviate(String s) {
    return SafeText.bounded(s.strip(), SNIPPET);
  }
}
