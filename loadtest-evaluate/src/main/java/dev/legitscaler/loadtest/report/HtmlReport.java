package dev.legitscaler.loadtest.report;

import static dev.legitscaler.loadtest.report.Xml.esc;
import static dev.legitscaler.loadtest.report.Xml.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The run report: one self-contained report.html (inline CSS and SVG, no scripts, fonts, images or
 * links to anything outside the file) built from a run folder's summary.json and timeseries.csv
 * (docs/run-output.md), so it opens offline and can be archived or attached as is.
 *
 * <p>The markup is well-formed XML (every element closed, only XML's own entities), so it parses as
 * XHTML as well as HTML5, and each chart's SVG can be checked on its own.
 */
public final class HtmlReport {
  static final String FILE = "report.html";

  private static final String LEGIT = "#1f77b4";
  private static final String NAIVE = "#ff7f0e";
  private static final String NEEDED = "#2ca02c";
  private static final String OFFLINE = "#9467bd";
  private static final String BOUND = "#7f7f7f";
  private static final String ALERT = "#d62728";
  private static final String ATTACK = "#d62728";
  private static final String OK = "#2ca02c";

  private HtmlReport() {}

  /** Reads {@code dir/summary.json} and {@code dir/timeseries.csv}, writes {@code dir/report.html}; returns its path. */
  public static Path write(Path dir) throws IOException {
    RunData run = RunData.read(dir);
    Path out = dir.resolve(FILE);
    Files.writeString(out, render(run));
    return out;
  }

  static String render(RunData run) {
    String scenario = run.text("scenario");
    if (scenario.isEmpty()) {
      scenario = run.text("params", "scenario");
    }
    String title = "legit-scaler run" + (scenario.isEmpty() ? "" : ": " + scenario);
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
        .append("<title>").append(esc(title)).append("</title><style>").append(CSS).append("</style></head><body>\n");
    header(h, run, title);
    expectations(h, run);
    comparison(h, run);
    charts(h, run);
    notificationsTable(h, run);
    platformCpu(h, run);
    h.append("<p class=\"foot\">Generated from summary.json and timeseries.csv of this run folder.</p>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  // ------------------------------------------------------------------ header and tables

  private static void header(StringBuilder h, RunData run, String title) {
    JsonNode passed = run.path("expectationsPassed");
    String verdict = passed.isBoolean() ? (passed.asBoolean() ? "PASSED" : "FAILED") : "NO VERDICT";
    String cls = passed.isBoolean() ? (passed.asBoolean() ? "pass" : "fail") : "none";
    h.append("<h1>").append(esc(title)).append("</h1>\n");
    h.append("<p id=\"verdict\" class=\"verdict ").append(cls).append("\">").append(verdict).append("</p>\n");
    h.append("<table class=\"meta\" id=\"run\"><tbody>");
    row(h, "scenario", run.text("scenario"));
    row(h, "mode", run.text("mode"));
    row(h, "replicas (min–max)", run.text("replicas", "min") + "–" + run.text("replicas", "max"));
    JsonNode params = run.path("params");
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("scenario")) {
        row(h, e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
      }
    }
    h.append("</tbody></table>\n");
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
  }

  /**
   * A section's heading, then either its table's head (true: the caller writes the rows and closes it)
   * or {@code empty} as the section's only text when {@code list} holds nothing (false).
   */
  private static boolean section(StringBuilder h, String title, JsonNode list, String empty, String tableId,
      String... headers) {
    h.append("<h2>").append(esc(title)).append("</h2>\n");
    if (!list.isArray() || list.isEmpty()) {
      h.append("<p class=\"nodata\">").append(esc(empty)).append("</p>\n");
      return false;
    }
    h.append("<table id=\"").append(tableId).append("\"><thead><tr>");
    for (String header : headers) {
      h.append("<th>").append(esc(header)).append("</th>");
    }
    h.append("</tr></thead><tbody>");
    return true;
  }

  /** One table row of escaped cells; {@code cls} is the row's class, or null. */
  private static void cells(StringBuilder h, String cls, String... values) {
    h.append(cls == null ? "<tr>" : "<tr class=\"" + cls + "\">");
    for (String v : values) {
      h.append("<td>").append(esc(v)).append("</td>");
    }
    h.append("</tr>");
  }

  private static void expectations(StringBuilder h, RunData run) {
    JsonNode list = run.path("expectations");
    if (!section(h, "Expectations", list, "no data", "expectations", "expectation", "result", "detail")) {
      return;
    }
    for (JsonNode e : list) {
      boolean ok = e.path("passed").asBoolean(false);
      cells(h, ok ? "pass" : "fail", e.path("name").asText(""), ok ? "passed" : "FAILED",
          e.path("detail").isNull() ? "" : e.path("detail").asText(""));
    }
    h.append("</tbody></table>\n");
  }

  private static void comparison(StringBuilder h, RunData run) {
    h.append("<h2>Naive autoscaler vs legit-scaler</h2>\n");
    double lw = run.number("legit", "wastedReplicaMinutes");
    double lu = run.number("legit", "underProvisionedReplicaMinutes");
    double nw = run.number("naive", "wastedReplicaMinutes");
    double nu = run.number("naive", "underProvisionedReplicaMinutes");
    if (Double.isNaN(lw) && Double.isNaN(lu) && Double.isNaN(nw) && Double.isNaN(nu)) {
      h.append("<p class=\"nodata\">no data</p>\n");
      return;
    }
    h.append("<table id=\"comparison\"><thead><tr><th></th><th>legit-scaler</th><th>naive (load only)</th><th>legit / naive</th></tr></thead><tbody>");
    h.append("<tr><th>wasted replica-minutes</th><td>").append(num(lw)).append("</td><td>").append(num(nw))
        .append("</td><td>").append(esc(ratioText(run, lw, nw))).append("</td></tr>");
    h.append("<tr><th>under-provisioned replica-minutes</th><td>").append(num(lu)).append("</td><td>").append(num(nu))
        .append("</td><td>").append(esc(nu > 0 ? num(lu / nu) : "–")).append("</td></tr>");
    h.append("</tbody></table>\n");
    h.append("<table class=\"meta\" id=\"detection\"><tbody>");
    row(h, "attack detection delay (s)", num(run.number("detectionDelaySeconds")));
    if (!run.path("agreement").isMissingNode() && !run.path("agreement").isNull()) {
      row(h, "live vs offline: replicas within ±1", num(100 * run.number("agreement", "replicasWithinOneShare")) + " % of the scenario");
      row(h, "live vs offline: wasted replica-minutes", num(run.number("agreement", "wastedReplicaMinutes", "live")) + " vs "
          + num(run.number("agreement", "wastedReplicaMinutes", "offline")));
      row(h, "live vs offline: under-provisioned replica-minutes", num(run.number("agreement", "underProvisionedReplicaMinutes", "live"))
          + " vs " + num(run.number("agreement", "underProvisionedReplicaMinutes", "offline")));
      row(h, "live vs offline: detection delay (s)", num(run.number("agreement", "detectionDelaySeconds", "live")) + " vs "
          + num(run.number("agreement", "detectionDelaySeconds", "offline")));
      row(h, "live vs offline", run.path("agreement", "agrees").asBoolean() ? "agree" : "DISAGREE");
    }
    row(h, "recovery after the attack (s)", num(run.number("recoverySeconds")));
    double share = run.number("legitOnlyLowScoreWindowShare");
    row(h, "legit-only windows scored < 0.9", Double.isNaN(share) ? "–" : num(100 * share) + " %");
    h.append("</tbody></table>\n");
  }

  private static String ratioText(RunData run, double legit, double naive) {
    double r = run.number("wastedRatio");
    if (Double.isFinite(r)) {
      return num(r);
    }
    return naive > 0 && Double.isFinite(legit) ? num(legit / naive) : "–";
  }

  // ------------------------------------------------------------------ charts

  private static void charts(StringBuilder h, RunData run) {
    double[] t = run.time();
    String xLabel = "scenario time (s)";
    List<SvgLineChart.Band> attack = intervals(t, run.numbers("attack_suspected"), "attack suspected", ATTACK);
    double min = orDefault(run.number("replicas", "min"), 4);
    double max = orDefault(run.number("replicas", "max"), 6);

    // every chart spans the whole scenario, so charts line up even when a column starts late
    double end = orDefault(run.number("params", "durationSeconds"), maxFinite(t));
    double xEnd = orDefault(end, 1);

    h.append("<h2>Charts</h2>\n");
    SvgLineChart replicas = new SvgLineChart("Replicas: legit-scaler vs naive vs needed", xLabel, "replicas")
        .add(new SvgLineChart.Series("replicas (legit)", LEGIT, t, run.numbers("replicas"), true, false))
        .add(new SvgLineChart.Series("naive_replicas", NAIVE, t, run.numbers("naive_replicas"), true, false))
        .add(new SvgLineChart.Series("needed_replicas", NEEDED, t, run.numbers("needed_replicas"), true, true))
        .threshold(min, "min " + num(min), BOUND)
        .threshold(max, "max " + num(max), BOUND)
        .yRange(0, max + 1);
    if (run.has("offline_replicas")) {
      // a live run: the offline evaluation's line of the same scenario on the same chart
      replicas.add(new SvgLineChart.Series("offline_replicas (evaluate)", OFFLINE, t, run.numbers("offline_replicas"), true, true));
    }
    attack.forEach(b -> replicas.band(b.from(), b.to(), b.label(), b.color()));
    chart(h, "chart-replicas", replicas.xRange(0, xEnd).render());

    SvgLineChart load = new SvgLineChart("Instance load", xLabel, "load ratio")
        .line("load_max", ALERT, t, run.numbers("load_max"))
        .line("load_mean", LEGIT, t, run.numbers("load_mean"))
        .threshold(0.8, "alert threshold 0.8", BOUND)
        .yRange(0, 1);
    chart(h, "chart-load", load.xRange(0, xEnd).render());

    SvgLineChart legitimacy = new SvgLineChart("Traffic legitimacy", xLabel, "score")
        .line("legitimacy_score", LEGIT, t, run.numbers("legitimacy_score"))
        .threshold(0.9, "0.9", BOUND)
        .yRange(0, 1);
    attack.forEach(b -> legitimacy.band(b.from(), b.to(), b.label(), b.color()));
    chart(h, "chart-legitimacy", legitimacy.xRange(0, xEnd).render());

    // every rate column is in scenario requests/s (docs/run-output.md)
    SvgLineChart rates = new SvgLineChart("Traffic", xLabel, "requests/s (scenario time)")
        .line("target_rate", BOUND, t, run.numbers("target_rate"))
        .line("legit_rate", NEEDED, t, run.numbers("legit_rate"))
        .line("attack_rate", ATTACK, t, run.numbers("attack_rate"))
        .line("achieved_rate", LEGIT, t, run.numbers("achieved_rate"))
        .yRange(0, 1);
    chart(h, "chart-rates", rates.xRange(0, xEnd).render());

    SvgLineChart lag = new SvgLineChart("Consumer lag", xLabel, "records")
        .line("lag", LEGIT, t, run.numbers("lag"))
        .yRange(0, 1);
    chart(h, "chart-lag", lag.xRange(0, xEnd).render());

    SvgLineChart latency = new SvgLineChart("Latency p95", xLabel, "ms")
        .line("latency_p95_ms", LEGIT, t, run.numbers("latency_p95_ms"))
        .yRange(0, 1);
    chart(h, "chart-latency", latency.xRange(0, xEnd).render());

    SvgTimeline timeline = new SvgTimeline("Alerts and notifications", xLabel).xRange(0, xEnd);
    for (JsonNode a : iterable(run.path("alerts"))) {
      String name = a.path("alert").asText("?");
      String severity = a.path("severity").asText("");
      double from = a.path("firedAt").isNumber() ? a.path("firedAt").asDouble() : Double.NaN;
      double to = a.path("resolvedAt").isNumber() ? a.path("resolvedAt").asDouble() : Double.NaN;
      if (Double.isFinite(from)) {
        timeline.interval("alert " + name, from, to,
            name + " (" + severity + ") firing " + num(from) + " s – " + (Double.isFinite(to) ? num(to) + " s" : "end"),
            severity.equals("critical") ? ALERT : NAIVE);
      }
    }
    for (JsonNode n : iterable(run.path("notifications"))) {
      double at = n.path("at").isNumber() ? n.path("at").asDouble() : Double.NaN;
      if (!Double.isFinite(at)) {
        continue;
      }
      String receiver = n.path("receiver").asText("?");
      String channel = n.path("channel").asText("?");
      String status = n.path("status").asText("firing");
      boolean resolved = status.equals("resolved");
      timeline.marker(receiver + " / " + channel, at,
          num(at) + " s: " + receiver + " via " + channel + ": " + n.path("alert").asText("") + " " + status,
          channel.equals("email"), !resolved, resolved ? OK : ALERT);
    }
    chart(h, "chart-timeline", timeline.render());
  }

  private static void chart(StringBuilder h, String id, String svg) {
    h.append("<section class=\"chart-box\" id=\"").append(id).append("\">").append(svg).append("</section>\n");
  }

  /** Contiguous runs where {@code flag} is 1, as bands from their first second to the next row's second. */
  static List<SvgLineChart.Band> intervals(double[] t, double[] flag, String label, String color) {
    List<SvgLineChart.Band> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= flag.length; i++) {
      boolean on = i < flag.length && flag[i] >= 0.5;
      if (on && start < 0) {
        start = i;
      } else if (!on && start >= 0) {
        double end = i < t.length ? t[i] : t[i - 1] + (i >= 2 ? t[i - 1] - t[i - 2] : 1);
        out.add(new SvgLineChart.Band(t[start], end, label, color));
        start = -1;
      }
    }
    return out;
  }

  private static void notificationsTable(StringBuilder h, RunData run) {
    JsonNode list = run.path("notifications");
    if (!section(h, "Notifications", list, "no data", "notifications", "at (s)", "receiver", "channel", "alert",
        "status")) {
      return;
    }
    for (JsonNode n : list) {
      cells(h, null, n.path("at").isNumber() ? num(n.path("at").asDouble()) : n.path("at").asText(""),
          n.path("receiver").asText(""), n.path("channel").asText(""), n.path("alert").asText(""),
          n.path("status").asText(""));
    }
    h.append("</tbody></table>\n");
  }

  /**
   * Above this share of the machine's cores the platform competed with itself for the CPU; the run's
   * {@code mostOfMachine} flag uses the same bound, so the flag and this sentence cannot disagree.
   */
  public static final double MOST_OF_MACHINE = 0.8;

  /** summary.json's platformCpu: what the platform itself used during the traffic (docs/platform.md). */
  private static void platformCpu(StringBuilder h, RunData run) {
    JsonNode cpu = run.path("platformCpu");
    JsonNode list = cpu.path("processes");
    if (!section(h, "Platform CPU cost", list, "not measured", "platform-cpu", "process", "CPU s", "cores")) {
      return;
    }
    for (JsonNode p : list) {
      cells(h, null, p.path("name").asText(""), num(p.path("cpuSeconds").asDouble(Double.NaN)),
          num(p.path("cores").asDouble(Double.NaN)));
    }
    double total = cpu.path("totalCores").asDouble(Double.NaN);
    int machine = cpu.path("machineCores").asInt(0);
    h.append("<tr class=\"total\"><th>total</th><th>").append(num(cpu.path("totalCpuSeconds").asDouble(Double.NaN)))
        .append("</th><th>").append(num(total)).append("</th></tr>");
    h.append("</tbody></table>\n");
    h.append("<p id=\"platform-cpu-machine\">over ").append(num(cpu.path("wallSeconds").asDouble(Double.NaN)))
        .append(" s of traffic (wall time) on a machine with ").append(machine > 0 ? Integer.toString(machine) : "–")
        .append(" cores; load average ").append(num(cpu.path("loadAverageStart").asDouble(Double.NaN))).append(" at the start, ")
        .append(num(cpu.path("loadAverageEnd").asDouble(Double.NaN))).append(" at the end.</p>\n");
    // from the numbers, not a flag, so that the sentence follows the table even for a hand-edited summary
    if (machine > 0 && total > MOST_OF_MACHINE * machine) {
      h.append("<p class=\"warn\" id=\"platform-cpu-warning\">The platform needed most of this machine: ")
          .append("readings may include scheduling delays.</p>\n");
    }
  }

  private static Iterable<JsonNode> iterable(JsonNode n) {
    return n.isArray() ? n : List.of();
  }

  private static double orDefault(double v, double dflt) {
    return Double.isFinite(v) ? v : dflt;
  }

  private static double maxFinite(double[] a) {
    double m = Double.NaN;
    for (double v : a) {
      if (Double.isFinite(v) && !(v <= m)) {
        m = v;
      }
    }
    return m;
  }

  static final String CSS = String.join("",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:960px}",
      "h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}",
      "table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}",
      "table.meta th{background:#f7f7f7;font-weight:normal;color:#555}",
      "thead th{background:#f0f0f0}tr.fail td{background:#fde8e8}tr.pass td:nth-child(2){color:#1a7f37}",
      ".verdict{display:inline-block;font-weight:bold;padding:4px 12px;border-radius:4px;margin:4px 0 12px}",
      ".verdict.pass{background:#dcf5e3;color:#1a7f37}.verdict.fail{background:#fde8e8;color:#b42318}.verdict.none{background:#eee;color:#555}",
      ".chart-box{margin:12px 0;border:1px solid #eee}.chart-box svg{display:block;max-width:100%;height:auto;font-family:inherit}",
      ".nodata{color:#888}.foot{color:#999;font-size:12px;margin-top:32px}.warn{color:#d62728}");
}
