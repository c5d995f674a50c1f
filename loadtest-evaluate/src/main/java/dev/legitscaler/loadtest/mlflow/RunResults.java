package dev.legitscaler.loadtest.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario run leaves in its output folder, read back for tracking: {@code summary.json}
 * (params under {@code "params"}, every other number or boolean a summary metric, expectations as
 * pass/fail), {@code timeseries.csv} (first column the scenario second, each other numeric column a
 * metric series) and the artifacts to upload.
 */
public record RunResults(
    Map<String, String> params,
    Map<String, Double> summaryMetrics,
    Map<String, List<Point>> series,
    List<Path> artifacts) {

  public static final List<String> ARTIFACT_NAMES = List.of("report.html", "summary.json", "timeseries.csv");

  public record Point(long step, double value) {}

  public static RunResults read(Path dir) throws IOException {
    Path summaryFile = dir.resolve("summary.json");
    if (!Files.isRegularFile(summaryFile)) {
      throw new IOException("no summary.json in " + dir + ": expected the output folder of `loadtest run` or `loadtest evaluate`");
    }
    JsonNode summary;
    try {
      summary = new ObjectMapper().readTree(summaryFile.toFile());
    } catch (IOException e) {
      throw new IOException(summaryFile + " is not valid JSON: " + e.getMessage(), e);
    }
    Map<String, String> params = new LinkedHashMap<>();
    flattenStrings("", summary.path("params"), params);
    Map<String, Double> metrics = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = summary.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (!f.getKey().equals("params")) {
        flattenNumbers(f.getKey(), f.getValue(), metrics);
      }
    }
    Path csv = dir.resolve("timeseries.csv");
    Map<String, List<Point>> series = Files.isRegularFile(csv) ? readSeries(csv) : Map.of();
    List<Path> artifacts = new ArrayList<>();
    for (String name : ARTIFACT_NAMES) {
      if (Files.isRegularFile(dir.resolve(name))) {
        artifacts.add(dir.resolve(name));
      }
    }
    return new RunResults(params, metrics, series, artifacts);
  }

  private static void flattenStrings(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flattenStrings(join(prefix, e.getKey()), e.getValue(), out));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.put(MetricKeys.sanitize(prefix), node.isValueNode() ? node.asText() : node.toString());
    }
  }

  private static void flattenNumbers(String prefix, JsonNode node, Map<String, Double> out) {
    if (node.isNumber()) {
      double v = node.asDouble();
      if (Double.isFinite(v)) {
        out.put(MetricKeys.sanitize(prefix), v);
      }
    } else if (node.isBoolean()) {
      out.put(MetricKeys.sanitize(prefix), node.asBoolean() ? 1.0 : 0.0);
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> flattenNumbers(join(prefix, e.getKey()), e.getValue(), out));
    } else if (node.isArray()) {
      // expectations: [{"name": ..., "passed": true}, ...] -> one 0/1 metric each, plus counts
      int passed = 0;
      int failed = 0;
      for (JsonNode item : node) {
        if (item.has("name") && item.has("passed")) {
          boolean ok = item.get("passed").asBoolean();
          out.put(MetricKeys.sanitize(join(prefix, item.get("name").asText())), ok ? 1.0 : 0.0);
          if (ok) {
            passed++;
          } else {
            failed++;
          }
        }
      }
      if (passed + failed > 0) {
        out.put(MetricKeys.sanitize(join(prefix, "passed")), (double) passed);
        out.put(MetricKeys.sanitize(join(prefix, "failed")), (double) failed);
      }
    }
  }

  private static Map<String, List<Point>> readSeries(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    if (lines.isEmpty()) {
      return Map.of();
    }
    String[] header = lines.get(0).split(",", -1);
    Map<String, List<Point>> out = new LinkedHashMap<>();
    for (int c = 1; c < header.length; c++) {
      out.put(MetricKeys.sanitize(header[c].trim()), new ArrayList<>());
    }
    List<String> keys = new ArrayList<>(out.keySet());
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] cells = lines.get(i).split(",", -1);
      double t;
      try {
        t = Double.parseDouble(cells[0].trim());
      } catch (NumberFormatException e) {
        throw new IOException(csv + ":" + (i + 1) + ": first column must be the scenario second, got '" + cells[0] + "'");
      }
      for (int c = 1; c < Math.min(cells.length, header.length); c++) {
        try {
          double v = Double.parseDouble(cells[c].trim());
          if (Double.isFinite(v)) {
            out.get(keys.get(c - 1)).add(new Point(Math.round(t), v));
          }
        } catch (NumberFormatException e) {
          // a text or empty cell (no sample this second): not a metric point
        }
      }
    }
    out.values().removeIf(List::isEmpty);
    return out;
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }
}
