package dev.legitscaler.loadtest.report;

import static dev.legitscaler.loadtest.report.Xml.esc;
import static dev.legitscaler.loadtest.report.Xml.num;
import static dev.legitscaler.loadtest.report.Xml.px;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The operating-curve report of {@code loadtest sweep}: report.html built from the folder's sweep.json,
 * self-contained and well-formed like {@link HtmlReport} (same style sheet, inline SVG, no scripts).
 */
public final class SweepReport {
  static final String SOURCE = "sweep.json";

  private static final String DETECTION = "#1f77b4";
  private static final String WASTE = "#ff7f0e";
  private static final String FALSE_POSITIVE = "#d62728";
  private static final String GRID = "#dddddd";

  private SweepReport() {}

  /** Reads {@code dir/sweep.json}, writes {@code dir/report.html}; returns its path. */
  public static Path write(Path dir) throws IOException {
    JsonNode doc = new ObjectMapper().readTree(dir.resolve(SOURCE).toFile());
    Path out = dir.resolve(HtmlReport.FILE);
    Files.writeString(out, render(doc));
    return out;
  }

  static String render(JsonNode doc) {
    String title = "legit-scaler operating curve";
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        .append("<title>").append(esc(title)).append("</title><style>").append(HtmlReport.CSS).append("</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    h.append("<table class=\"meta\" id=\"sweep-params\"><tbody>");
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("params").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>")
          .append(esc(e.getValue().isNull() ? "" : e.getValue().isArray() ? e.getValue().toString() : e.getValue().asText()))
          .append("</td></tr>");
    }
    h.append("</tbody></table>\n");
    classes(h, doc);
    chart(h, doc);
    indistinguishable(h, doc);
    cells(h, doc);
    h.append("<p class=\"foot\">Generated from sweep.json of this folder (docs/evaluate.md, \"Operating curve\").</p>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void classes(StringBuilder h, JsonNode doc) {
    long bound = doc.path("params").path("detectionBoundSeconds").asLong(60);
    h.append("<h2>Operating curve per class</h2>\n");
    h.append("<p>Detection rate: share of the class's cells declared an attack within ").append(bound)
        .append(" s of its start. False-positive rate: share of the scorer's windows with s &lt; 0.9 among the crowd"
            + " phase's windows (flash crowds) or the windows holding only legitimate traffic (botnet cells). Wasted:"
            + " replica-minutes above what the legitimate traffic needs, summed over the class's cells.</p>\n");
    table(h, "sweep-classes", "class", doc.path("classes"), bound);
    h.append("<p>The same numbers over every botnet class that a dimension or the per-client rate separates (all but"
        + " the indistinguishable class), by novelty and by attack share:</p>\n");
    table(h, "sweep-by-novelty", "bots, by novelty", doc.path("byNovelty"), bound);
    table(h, "sweep-by-attack-share", "bots, by attack share", doc.path("byAttackShare"), bound);
  }

  private static void table(StringBuilder h, String id, String first, JsonNode rows, long bound) {
    h.append("<table id=\"").append(id).append("\"><thead><tr><th>").append(esc(first)).append("</th><th>cells</th><th>detected ≤ ").append(bound)
        .append(" s</th><th>median time to declare</th><th>false positives (s &lt; 0.9)</th><th>wasted legit-scaler</th>"
            + "<th>wasted naive</th><th>legit / naive</th></tr></thead><tbody>");
    for (JsonNode c : rows) {
      h.append("<tr><td>").append(esc(c.path("class").asText())).append("</td><td>").append(c.path("cells").asInt())
          .append("</td><td>").append(c.path("detectionRate").isNull() ? "–"
              : num(100 * c.path("detectionRate").asDouble()) + " % (" + c.path("detected").asInt() + ")")
          .append("</td><td>").append(c.path("medianDetectionSeconds").isNull() ? "never"
              : num(c.path("medianDetectionSeconds").asDouble()) + " s")
          .append("</td><td>").append(c.path("falsePositiveRate").isNull() ? "–"
              : num(100 * c.path("falsePositiveRate").asDouble()) + " % (" + c.path("lowScoreWindows").asInt() + "/"
                  + c.path("windows").asInt() + ")")
          .append("</td><td>").append(num(c.path("legitWastedReplicaMinutes").asDouble()))
          .append("</td><td>").append(num(c.path("naiveWastedReplicaMinutes").asDouble()))
          .append("</td><td>").append(c.path("wastedRatio").isNull() ? "–" : num(c.path("wastedRatio").asDouble()))
          .append("</td></tr>");
    }
    h.append("</tbody></table>\n");
  }

  /** One horizontal bar group per class: detection rate, false-positive rate, wasted legit / naive (0..1). */
  private static void chart(StringBuilder h, JsonNode doc) {
    List<JsonNode> rows = new ArrayList<>();
    doc.path("classes").forEach(rows::add);
    if (rows.isEmpty()) {
      h.append("<p class=\"nodata\">no data</p>\n");
      return;
    }
    double left = 300;
    double width = 560;
    double rowHeight = 30;
    double top = 40;
    double height = top + rows.size() * rowHeight + 30;
    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"").append(px(height))
        .append("\" viewBox=\"0 0 900 ").append(px(height)).append("\" role=\"img\"><title>Detection rate, false-positive rate"
            + " and wasted replica-minutes against the naive policy, per class</title>");
    String[][] legend = {{"detection rate", DETECTION}, {"false-positive rate", FALSE_POSITIVE},
        {"wasted legit / naive", WASTE}};
    for (int i = 0; i < legend.length; i++) {
      double x = left + i * 180;
      s.append("<rect x=\"").append(px(x)).append("\" y=\"10\" width=\"12\" height=\"12\" fill=\"").append(legend[i][1])
          .append("\"/><text x=\"").append(px(x + 16)).append("\" y=\"21\" font-size=\"12\">").append(esc(legend[i][0]))
          .append("</text>");
    }
    for (int k = 0; k <= 4; k++) {
      double x = left + width * k / 4;
      s.append("<line x1=\"").append(px(x)).append("\" y1=\"").append(px(top - 4)).append("\" x2=\"").append(px(x))
          .append("\" y2=\"").append(px(top + rows.size() * rowHeight)).append("\" stroke=\"").append(GRID).append("\"/>")
          .append("<text x=\"").append(px(x)).append("\" y=\"").append(px(top + rows.size() * rowHeight + 16))
          .append("\" font-size=\"11\" text-anchor=\"middle\">").append(k * 25).append(" %</text>");
    }
    for (int i = 0; i < rows.size(); i++) {
      JsonNode c = rows.get(i);
      double y = top + i * rowHeight;
      s.append("<text x=\"").append(px(left - 8)).append("\" y=\"").append(px(y + 17))
          .append("\" font-size=\"11\" text-anchor=\"end\">").append(esc(c.path("class").asText())).append("</text>");
      bar(s, left, width, y + 3, c.path("detectionRate"), DETECTION);
      bar(s, left, width, y + 11, c.path("falsePositiveRate"), FALSE_POSITIVE);
      bar(s, left, width, y + 19, c.path("wastedRatio"), WASTE);
    }
    s.append("</svg>");
    h.append("<div class=\"chart-box\" id=\"chart-sweep\">").append(s).append("</div>\n");
  }

  private static void bar(StringBuilder s, double left, double width, double y, JsonNode value, String color) {
    if (value.isNull() || value.isMissingNode()) {
      return;
    }
    double v = Math.max(0, Math.min(1, value.asDouble()));
    s.append("<rect x=\"").append(px(left)).append("\" y=\"").append(px(y)).append("\" width=\"")
        .append(px(Math.max(1, v * width))).append("\" height=\"7\" fill=\"").append(color).append("\"><title>")
        .append(esc(num(100 * value.asDouble()) + " %")).append("</title></rect>");
  }

  /** The class no dimension separates from a crowd: what it costs, and why, with its measured numbers. */
  private static void indistinguishable(StringBuilder h, JsonNode doc) {
    h.append("<h2>The indistinguishable class</h2>\n");
    JsonNode none = null;
    JsonNode crowd = null;
    for (JsonNode c : doc.path("classes")) {
      String name = c.path("class").asText();
      if (name.startsWith("bots, differ in none, 1x")) {
        none = c;
      } else if (!c.path("attack").asBoolean(true)) {
        crowd = c;
      }
    }
    h.append("<p id=\"indistinguishable\">Bots that differ in no dimension and send at the population's own"
        + " per-client rate are drawn from the same pools as a flash crowd of strangers: the same networks,"
        + " user agents, paths and TLS fingerprints, Poisson timing, the model's reference payloads, and a per-client"
        + " rate no heavy-hitter threshold can separate. Every signal the scorer computes has the same distribution"
        + " in both, so any rule that declared these bots would declare the crowd as well. The scorer leaves them"
        + " alone and they cost what a load-only autoscaler costs");
    if (none != null) {
      h.append(": here ").append(none.path("detectionRate").isNull() ? "–"
          : num(100 * none.path("detectionRate").asDouble()) + " %").append(" of them were declared within the bound,"
          + " and they wasted ").append(num(none.path("legitWastedReplicaMinutes").asDouble()))
          .append(" replica-minutes against the naive policy's ").append(num(none.path("naiveWastedReplicaMinutes").asDouble()))
          .append(" (").append(none.path("wastedRatio").isNull() ? "–" : num(100 * none.path("wastedRatio").asDouble()))
          .append(" %)");
    }
    if (crowd != null && !crowd.path("falsePositiveRate").isNull()) {
      h.append(", while the crowds of the same size scored s &lt; 0.9 in ")
          .append(num(100 * crowd.path("falsePositiveRate").asDouble())).append(" % of their windows");
    }
    h.append(". Telling them apart takes a signal outside the traffic: authentication, rate limits per account,"
        + " or a challenge at the edge (docs/legitimacy.md).</p>\n");
    JsonNode fresh = null;
    JsonNode mixed = null;
    for (JsonNode c : doc.path("byNovelty")) {
      if (c.path("class").asText().endsWith("new")) {
        fresh = c;
      } else if (c.path("class").asText().endsWith("mixed")) {
        mixed = c;
      }
    }
    if (fresh != null && mixed != null && !fresh.path("wastedRatio").isNull() && !mixed.path("wastedRatio").isNull()) {
      h.append("<p id=\"known-identities\">Known identities are the same problem in part: when half of the bots' traffic"
          + " comes from known client identities at the population's per-client rate (novelty mixed), the new half can"
          + " give the attack away, but the known half is scored as the returning clients it looks like. Bots of"
          + " novelty mixed wasted ").append(num(100 * mixed.path("wastedRatio").asDouble()))
          .append(" % of the naive policy's replica-minutes, never-seen bots ")
          .append(num(100 * fresh.path("wastedRatio").asDouble())).append(" %.</p>\n");
    }
  }

  private static void cells(StringBuilder h, JsonNode doc) {
    h.append("<h2>Cells</h2>\n<details><summary>every scenario of the sweep</summary>");
    h.append("<table id=\"sweep-cells\"><thead><tr><th>scenario</th><th>attack share</th><th>novelty</th>"
        + "<th>declared after</th><th>s &lt; 0.9</th><th>wasted</th><th>naive</th><th>replicas max (naive)</th>"
        + "<th>min s</th></tr></thead><tbody>");
    for (JsonNode c : doc.path("cells")) {
      h.append("<tr><td>").append(esc(c.path("scenario").asText())).append("</td><td>")
          .append(num(100 * c.path("attackShare").asDouble())).append(" %</td><td>").append(esc(c.path("novelty").asText()))
          .append("</td><td>").append(c.path("detectionSeconds").isNull() ? "–" : c.path("detectionSeconds").asLong() + " s")
          .append("</td><td>").append(c.path("lowScoreWindows").asInt()).append("/").append(c.path("windows").asInt())
          .append("</td><td>").append(num(c.path("legitWastedReplicaMinutes").asDouble())).append("</td><td>")
          .append(num(c.path("naiveWastedReplicaMinutes").asDouble())).append("</td><td>")
          .append(c.path("replicasMax").asInt()).append(" (").append(c.path("naiveReplicasMax").asInt()).append(")</td><td>")
          .append(num(c.path("minScore").asDouble())).append("</td></tr>");
    }
    h.append("</tbody></table></details>\n");
  }
}
