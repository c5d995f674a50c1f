package dev.legitscaler.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.gate.Main;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  private static final List<String> CHARTS = List.of("chart-replicas", "chart-load", "chart-legitimacy",
      "chart-rates", "chart-lag", "chart-latency", "chart-timeline");
  private static final String HEADER = "t_seconds,phase,target_rate,legit_rate,attack_rate,achieved_rate,replicas,"
      + "naive_replicas,needed_replicas,published_value,demand_load,demand_lag,legitimacy_score,attack_suspected,"
      + "load_max,load_mean,lag,alerts_pending,alerts_firing,notifications,latency_p95_ms";

  @TempDir Path tmp;

  /** A 3-minute run: legitimate ramp, an attack from 60 s to 120 s (suspected 70-125 s), some empty cells. */
  private static Path fullRun(Path dir) throws Exception {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(HEADER).append('\n');
    for (int t = 0; t < 180; t++) {
      boolean attack = t >= 60 && t < 120;
      boolean suspected = t >= 70 && t < 125;
      double legit = 300 + t;
      double attackRate = attack ? 800 : 0;
      int needed = Math.min(6, Math.max(4, (int) Math.ceil(legit / 100)));
      int naive = Math.min(6, Math.max(4, (int) Math.ceil((legit + attackRate) / 100)));
      String lag = t % 50 == 7 ? "" : Integer.toString(attack ? 500 + t : 10); // a few missing samples
      csv.append(String.format(Locale.ROOT, "%d,%s,%.1f,%.1f,%.1f,%.1f,%d,%d,%d,%.2f,%.2f,%.2f,%.3f,%d,%.3f,%.3f,%s,%d,%d,%d,%.1f%n",
          t, attack ? "attack" : "steady", legit + attackRate, legit, attackRate, legit + attackRate * 0.9,
          needed, naive, needed, 0.7, 0.7, 0.0, suspected ? 0.4 : 0.98, suspected ? 1 : 0,
          attack ? 0.93 : 0.6, attack ? 0.85 : 0.5, lag, attack ? 1 : 0, t > 100 && t < 140 ? 1 : 0, 0, 42.0));
    }
    Files.writeString(dir.resolve("timeseries.csv"), csv);
    Files.writeString(dir.resolve("summary.json"), """
        {"scenario": "attack <heavy> & bots", "mode": "local",
         "params": {"scenario": "attack-heavy", "seed": 7, "timeScale": 10, "durationSeconds": 180,
                    "targetLoad": 0.7, "version": "0.1.0"},
         "replicas": {"min": 4, "max": 6},
         "legit": {"wastedReplicaMinutes": 0.5, "underProvisionedReplicaMinutes": 0.25},
         "naive": {"wastedReplicaMinutes": 2.0, "underProvisionedReplicaMinutes": 0.25},
         "wastedRatio": 0.25, "detectionDelaySeconds": 10, "recoverySeconds": 5,
         "legitOnlyLowScoreWindowShare": 0.01,
         "alerts": [{"alert": "ModelInstanceSaturated", "severity": "warning", "firedAt": 95, "resolvedAt": 140},
                    {"alert": "LegitScalerAttackSuspected", "severity": "warning", "firedAt": 76, "resolvedAt": null}],
         "notifications": [
           {"receiver": "sysadmin", "channel": "email", "alert": "ModelInstanceSaturated", "status": "firing", "at": 97},
           {"receiver": "sysadmin", "channel": "webhook", "alert": "ModelInstanceSaturated", "status": "firing", "at": 97},
           {"receiver": "ddos", "channel": "webhook", "alert": "LegitScalerAttackSuspected", "status": "firing", "at": 78},
           {"receiver": "sysadmin", "channel": "email", "alert": "ModelInstanceSaturated", "status": "resolved", "at": 142}],
         "expectations": [
           {"name": "replicas stay within 4..6", "passed": true, "detail": "min 4, max 6"},
           {"name": "attack detected within 30 s", "passed": true, "detail": "10 s"},
           {"name": "wasted replica-minutes below naive", "passed": false, "detail": "0.5 vs 2.0 <ratio>"}],
         "expectationsPassed": false}
        """);
    return dir;
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    // nothing external may be fetched while parsing, and nothing is needed
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setExpandEntityReferences(false);
    DocumentBuilder b = f.newDocumentBuilder();
    return b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static Element byId(Document doc, String tag, String id) {
    NodeList all = doc.getElementsByTagName(tag);
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no <" + tag + " id=" + id + ">");
  }

  private static List<Element> elements(Node parent, String tag) {
    NodeList l = parent instanceof Document d ? d.getElementsByTagName(tag) : ((Element) parent).getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < l.getLength(); i++) {
      out.add((Element) l.item(i));
    }
    return out;
  }

  @Test
  void fullRunGivesOneSelfContainedWellFormedFile() throws Exception {
    Path dir = fullRun(tmp.resolve("run"));
    Path report = HtmlReport.write(dir);
    assertThat(report).isEqualTo(dir.resolve("report.html")).isRegularFile();
    String html = Files.readString(report);
    Document doc = parse(html);

    // self-contained: nothing that a browser would fetch
    assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
        .doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("src=").doesNotContainIgnoringCase("href=");

    // header
    assertThat(doc.getElementsByTagName("h1").item(0).getTextContent()).contains("attack <heavy> & bots");
    assertThat(byId(doc, "p", "verdict").getTextContent()).isEqualTo("FAILED");
    String run = byId(doc, "table", "run").getTextContent();
    assertThat(run).contains("local", "timeScale", "10", "4–6");

    // expectations: every one listed with its result
    Element expectations = byId(doc, "table", "expectations");
    List<Element> rows = elements(elements(expectations, "tbody").get(0), "tr");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).getTextContent()).contains("replicas stay within 4..6", "passed");
    assertThat(rows.get(1).getTextContent()).contains("attack detected within 30 s", "passed");
    assertThat(rows.get(2).getTextContent()).contains("wasted replica-minutes below naive", "FAILED", "<ratio>");

    // comparison
    String cmp = byId(doc, "table", "comparison").getTextContent();
    assertThat(cmp).contains("0.5", "2", "0.25");

    // one <svg> per chart, each with a title and no "no data"
    for (String id : CHARTS) {
      Element box = byId(doc, "section", id);
      List<Element> svgs = elements(box, "svg");
      assertThat(svgs).as(id).hasSize(1);
      assertThat(svgs.get(0).getAttribute("viewBox")).as(id).matches("0 0 \\d+ \\d+");
      assertThat(box.getTextContent()).as(id).doesNotContain("no data");
    }
    assertThat(elements(doc, "svg")).hasSize(CHARTS.size());

    // the bounds and the threshold are drawn; the attack is shaded; the legend names the series
    Element replicas = byId(doc, "section", "chart-replicas");
    assertThat(elements(replicas, "line").stream().filter(l -> "threshold".equals(l.getAttribute("class")))).hasSize(2);
    assertThat(replicas.getTextContent()).contains("min 4", "max 6", "replicas (legit)", "naive_replicas", "needed_replicas");
    Element legitimacy = byId(doc, "section", "chart-legitimacy");
    List<Element> bands = elements(legitimacy, "rect").stream().filter(r -> "band".equals(r.getAttribute("class"))).toList();
    assertThat(bands).hasSize(1);
    assertThat(bands.get(0).getTextContent()).contains("attack suspected: 70 – 125");
    assertThat(byId(doc, "section", "chart-load").getTextContent()).contains("alert threshold 0.8");

    // the lag has missing samples: its line breaks there (several M commands) instead of bridging
    Element lag = byId(doc, "section", "chart-lag");
    String d = elements(lag, "path").get(0).getAttribute("d");
    assertThat(d.split("M", -1).length - 1).as("4 gaps, 5 segments").isEqualTo(5);

    // every path is valid path data (only the commands the chart writes, numbers in between)
    Pattern pathData = Pattern.compile("(M-?[0-9.]+ -?[0-9.]+)( (M-?[0-9.]+ -?[0-9.]+|L-?[0-9.]+ -?[0-9.]+|H-?[0-9.]+|V-?[0-9.]+))*");
    for (Element p : elements(doc, "path")) {
      assertThat(p.getAttribute("d")).matches(pathData);
    }

    // timeline: a marker per notification (with receiver, channel and alert), a bar per alert
    Element timeline = byId(doc, "section", "chart-timeline");
    List<Element> markers = new ArrayList<>();
    elements(timeline, "circle").stream().filter(e -> "marker".equals(e.getAttribute("class"))).forEach(markers::add);
    elements(timeline, "rect").stream().filter(e -> "marker".equals(e.getAttribute("class"))).forEach(markers::add);
    assertThat(markers).hasSize(4);
    assertThat(markers).anySatisfy(m -> assertThat(m.getTextContent()).contains("ddos via webhook", "LegitScalerAttackSuspected"));
    assertThat(timeline.getTextContent()).contains("sysadmin / email", "sysadmin / webhook", "ddos / webhook");
    assertThat(elements(timeline, "rect").stream().filter(e -> "interval".equals(e.getAttribute("class")))).hasSize(2);
    assertThat(elements(byId(doc, "table", "notifications"), "tr")).hasSize(5);
  }

  @Test
  void absentOrEmptyColumnsSayNoDataInsteadOfFailing() throws Exception {
    Path dir = tmp.resolve("sparse");
    Files.createDirectories(dir);
    // evaluate mode: no load, lag, latency, legitimacy; the lag column exists but is empty
    StringBuilder csv = new StringBuilder("t_seconds,replicas,naive_replicas,needed_replicas,lag\n");
    for (int t = 0; t < 30; t++) {
      csv.append(t).append(",4,").append(t < 15 ? 4 : 5).append(",4,\n");
    }
    Files.writeString(dir.resolve("timeseries.csv"), csv);
    Files.writeString(dir.resolve("summary.json"), """
        {"scenario": "steady", "mode": "evaluate", "expectations": [], "expectationsPassed": true}
        """);
    String html = Files.readString(HtmlReport.write(dir));
    Document doc = parse(html);
    assertThat(byId(doc, "p", "verdict").getTextContent()).isEqualTo("PASSED");
    assertThat(byId(doc, "section", "chart-replicas").getTextContent()).doesNotContain("no data");
    for (String id : List.of("chart-load", "chart-legitimacy", "chart-rates", "chart-lag", "chart-latency", "chart-timeline")) {
      Element box = byId(doc, "section", id);
      assertThat(elements(box, "svg")).as(id).hasSize(1);
      assertThat(box.getTextContent()).as(id).contains("no data");
    }
  }

  @Test
  void aFolderWithOnlyASummaryStillGetsAReport() throws Exception {
    Path dir = tmp.resolve("summary-only");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.json"), "{\"scenario\": \"x\", \"mode\": \"existing\"}");
    Document doc = parse(Files.readString(HtmlReport.write(dir)));
    assertThat(byId(doc, "p", "verdict").getTextContent()).isEqualTo("NO VERDICT");
    for (String id : CHARTS) {
      assertThat(byId(doc, "section", id).getTextContent()).as(id).contains("no data");
    }
  }

  @Test
  void cliWritesTheReportAndRefusesAnEmptyFolder() throws Exception {
    Path dir = fullRun(tmp.resolve("cli"));
    assertThat(Main.commandLine().execute("report", dir.toString())).isZero();
    assertThat(dir.resolve("report.html")).isRegularFile();
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThat(Main.commandLine().execute("report", empty.toString())).isEqualTo(2);
    assertThat(empty.resolve("report.html")).doesNotExist();
  }

  private static Document withPlatformCpu(Path dir, double totalCores, int machineCores) throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, """
        {"scenario": "x", "mode": "local",
         "platformCpu": {"wallSeconds": 100, "machineCores": %d, "loadAverageStart": 0.5, "loadAverageEnd": 1.75,
           "totalCpuSeconds": %.1f, "totalCores": %.3f,
           "processes": [{"name": "kafka broker", "pid": 11, "cpuSeconds": 40.5, "cores": 0.405},
                         {"name": "model replica <model-0>", "pid": 12, "cpuSeconds": 12, "cores": 0.12}]}}
        """, machineCores, totalCores * 100, totalCores));
    return parse(Files.readString(HtmlReport.write(dir)));
  }

  @Test
  void platformCpuTableListsEveryProcessWithTheTotalAndTheMachine() throws Exception {
    Document doc = withPlatformCpu(tmp.resolve("cpu"), 0.525, 2);
    List<Element> rows = elements(elements(byId(doc, "table", "platform-cpu"), "tbody").get(0), "tr");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).getTextContent()).contains("kafka broker", "40.5", "0.405");
    assertThat(rows.get(1).getTextContent()).contains("model replica <model-0>", "12", "0.12");
    assertThat(rows.get(2).getTextContent()).contains("total", "52.5", "0.525");
    assertThat(byId(doc, "p", "platform-cpu-machine").getTextContent()).contains("100 s", "2 cores", "0.5", "1.75");
    assertThat(doc.getElementsByTagName("p")).satisfies(ps -> {
      for (int i = 0; i < ps.getLength(); i++) {
        assertThat(((Element) ps.item(i)).getAttribute("id")).isNotEqualTo("platform-cpu-warning");
      }
    });
  }

  @Test
  void platformCpuAbove80PercentOfTheCoresSaysSo() throws Exception {
    Document below = withPlatformCpu(tmp.resolve("at80"), 1.6, 2);
    Document above = withPlatformCpu(tmp.resolve("above80"), 1.61, 2);
    assertThat(Files.readString(tmp.resolve("at80").resolve("report.html"))).doesNotContain("most of this machine");
    assertThat(byId(above, "p", "platform-cpu-warning").getTextContent())
        .isEqualTo("The platform needed most of this machine: readings may include scheduling delays.");
    assertThat(below.getElementsByTagName("h2").getLength()).isEqualTo(above.getElementsByTagName("h2").getLength());
  }

  @Test
  void aSummaryWithoutPlatformCpuSaysNotMeasured() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("no-cpu"));
    Files.writeString(dir.resolve("summary.json"), "{\"scenario\": \"x\", \"platformCpu\": null}");
    String html = Files.readString(HtmlReport.write(dir));
    assertThat(html).contains("Platform CPU cost", "not measured").doesNotContain("id=\"platform-cpu\"");
  }
}
