package dev.legitscaler.loadtest.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run folder as docs/run-output.md defines it: summary.json and timeseries.csv. Either file may be
 * missing and any column may be absent or empty; readers get NaN (or an empty string) for what is not
 * there, so the report degrades chart by chart instead of failing.
 */
record RunData(JsonNode summary, List<String> columns, Map<String, List<String>> cells) {

  static RunData read(Path dir) throws IOException {
    Path summaryFile = dir.resolve("summary.json");
    JsonNode summary = Files.isRegularFile(summaryFile)
        ? new ObjectMapper().readTree(summaryFile.toFile())
        : MissingNode.getInstance();
    if (summary == null) {
      summary = MissingNode.getInstance();
    }
    Path csv = dir.resolve("timeseries.csv");
    List<String> columns = new ArrayList<>();
    Map<String, List<String>> cells = new LinkedHashMap<>();
    if (Files.isRegularFile(csv)) {
      List<String> lines = Files.readAllLines(csv);
      if (!lines.isEmpty()) {
        columns.addAll(split(lines.get(0)).stream().map(String::trim).toList());
        for (String c : columns) {
          cells.put(c, new ArrayList<>());
        }
        for (String line : lines.subList(1, lines.size())) {
          if (line.isBlank()) {
            continue;
          }
          List<String> row = split(line);
          for (int i = 0; i < columns.size(); i++) {
            cells.get(columns.get(i)).add(i < row.size() ? row.get(i).trim() : "");
          }
        }
      }
    }
    return new RunData(summary, List.copyOf(columns), cells);
  }

  /** One CSV line; quoted fields ("a,b", "" for a quote) are allowed though the writer needs none. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }

  int rows() {
    return cells.values().stream().mapToInt(List::size).max().orElse(0);
  }

  boolean has(String column) {
    return Arrays.stream(numbers(column)).anyMatch(Double::isFinite);
  }

  /** A numeric column; empty, unparsable or absent cells are NaN. */
  double[] numbers(String column) {
    List<String> c = cells.get(column);
    double[] out = new double[rows()];
    Arrays.fill(out, Double.NaN);
    if (c == null) {
      return out;
    }
    for (int i = 0; i < c.size(); i++) {
      String s = c.get(i);
      if (!s.isEmpty()) {
        if (s.equalsIgnoreCase("true")) {
          out[i] = 1;
        } else if (s.equalsIgnoreCase("false")) {
          out[i] = 0;
        } else {
          try {
            out[i] = Double.parseDouble(s);
          } catch (NumberFormatException e) {
            out[i] = Double.NaN;
          }
        }
      }
    }
    return out;
  }

  /** The scenario-time axis: t_seconds, or the row index when that column is missing. */
  double[] time() {
    double[] t = numbers("t_seconds");
    for (int i = 0; i < t.length; i++) {
      if (!Double.isFinite(t[i])) {
        t[i] = i;
      }
    }
    return t;
  }

  List<String> strings(String column) {
    List<String> c = cells.get(column);
    List<String> out = new ArrayList<>(c == null ? List.of() : c);
    while (out.size() < rows()) {
      out.add("");
    }
    return out;
  }

  JsonNode path(String... keys) {
    JsonNode n = summary;
    for (String k : keys) {
      n = n.path(k);
    }
    return n;
  }

  /** A number from summary.json, NaN when absent or null. */
  double number(String... keys) {
    JsonNode n = path(keys);
    return n.isNumber() ? n.asDouble() : n.isTextual() ? parse(n.asText()) : Double.NaN;
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  String text(String... keys) {
    JsonNode n = path(keys);
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }
}
