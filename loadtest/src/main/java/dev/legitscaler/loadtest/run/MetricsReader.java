package dev.legitscaler.loadtest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads the signals a run samples: the scaler's own /metrics, instant queries and alerts from Prometheus. */
final class MetricsReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** GET a URL's body; empty on any failure (a sample then has a gap, the run goes on). */
  Optional<String> get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Series of a Prometheus text exposition whose name is {@code metric} and whose labels contain
   * every {@code labelFilter} pair (as {@code key="value"}); maps the full label text to the value.
   */
  static Map<String, Double> series(String exposition, String metric, String... labelFilter) {
    Map<String, Double> out = new HashMap<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith(metric) || line.length() == metric.length()) {
        continue;
      }
      char c = line.charAt(metric.length());
      if (c != '{' && c != ' ') {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      String labels = c == '{' ? line.substring(metric.length(), line.lastIndexOf('}') + 1) : "";
      boolean ok = true;
      for (String f : labelFilter) {
        ok &= labels.contains(f);
      }
      if (!ok) {
        continue;
      }
      try {
        out.put(labels, Double.parseDouble(line.substring(sp + 1).trim()));
      } catch (NumberFormatException e) {
        // a timestamp or malformed value: skip
      }
    }
    return out;
  }

  static Double first(Map<String, Double> series) {
    return series.isEmpty() ? null : series.values().iterator().next();
  }

  /** Values of an instant query's vector result. */
  List<Double> query(String prometheus, String promql) {
    List<Double> values = new ArrayList<>();
    get(prometheus + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).ifPresent(body -> {
      try {
        for (JsonNode r : JSON.readTree(body).path("data").path("result")) {
          values.add(Double.parseDouble(r.path("value").get(1).asText()));
        }
      } catch (IOException | RuntimeException e) {
        // unreadable answer: no values
      }
    });
    return values;
  }

  /** Active alerts: firing (name → severity) and pending names; null when Prometheus did not answer. */
  record Alerts(Map<String, String> firing, Set<String> pending) {}

  Alerts alerts(String prometheus) {
    Optional<String> body = get(prometheus + "/api/v1/alerts");
    if (body.isEmpty()) {
      return null;
    }
    Map<String, String> firing = new TreeMap<>();
    Set<String> pending = new TreeSet<>();
    try {
      for (JsonNode a : JSON.readTree(body.get()).path("data").path("alerts")) {
        String name = a.path("labels").path("alertname").asText();
        if ("firing".equals(a.path("state").asText())) {
          firing.put(name, a.path("labels").path("severity").asText(""));
        } else if ("pending".equals(a.path("state").asText())) {
          pending.add(name);
        }
      }
    } catch (IOException e) {
      return null;
    }
    return new Alerts(firing, pending);
  }
}
