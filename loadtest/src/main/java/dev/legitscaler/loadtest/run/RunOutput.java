package dev.legitscaler.loadtest.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.legitscaler.loadtest.evaluate.Evaluator;
import dev.legitscaler.loadtest.scenario.Attack;
import dev.legitscaler.loadtest.scenario.Expectations;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns the samples of a run into the output contract (docs/run-output.md): one timeseries row per
 * scenario second, the summary with the alert timeline, notifications and checked expectations.
 *
 * <p>The naive policy and the offline line come from the offline evaluation of the same scenario and
 * manifest ({@link Evaluator}): the naive policy goes through the same KEDA → HPA emulation, manifest
 * behaviour and pod start delay as in {@code loadtest evaluate}, driven by the load signal alone; the
 * offline legit-scaler line is what the live one is compared with ({@link Agreement}). Every rate is in
 * scenario requests/s.
 */
public final class RunOutput {
  static final String[] COLUMNS = {"t_seconds", "phase", "target_rate", "legit_rate", "attack_rate", "achieved_rate",
      "replicas", "naive_replicas", "needed_replicas", "published_value", "demand_load", "demand_lag",
      "legitimacy_score", "attack_suspected", "load_max", "load_mean", "lag", "alerts_pending", "alerts_firing",
      "notifications", "latency_p95_ms", "offline_replicas"};
  /** The one unit of every rate column and summary rate. */
  static final String RATE_UNIT = "scenario requests/s";
  /** A score at or above this is "normal" (recovery, legitimate-only windows). */
  static final double NORMAL_SCORE = 0.9;

  /**
   * One row of the timeseries.
   *
   * @param naiveReplicas the offline naive policy's replicas (null without an offline evaluation)
   * @param offlineReplicas the offline evaluation's legit-scaler replicas (null without one)
   * @param offlineAttack whether the offline scorer flagged an attack at this second
   */
  public record Row(int t, String phase, double targetRate, double legitRate, double attackRate, Sample sample,
      Integer naiveReplicas, int neededReplicas, Integer offlineReplicas, boolean offlineAttack) {}

  /** An alert's firing interval, scenario seconds; resolvedAt null while still firing at the end. */
  public record AlertSpan(String alert, String severity, double firedAt, Double resolvedAt) {}

  /** An expectation's outcome. */
  public record Check(String name, boolean passed, String detail) {}

  /**
   * What the run was, for summary.json.
   *
   * @param params flat values for "params"
   */
  public record RunInfo(String mode, Map<String, Object> params, int minReplicas, int maxReplicas,
      double capacityPerReplica, double targetLoad) {}

  private final Scenario scenario;
  private final TrafficModel model;
  private final RunInfo info;
  private final List<Row> rows = new ArrayList<>();
  private final List<AlertSpan> alerts;
  private final List<Notification> notifications;
  private final Optional<Evaluator.Result> offline;
  private final Optional<PlatformCpu> platformCpu;

  /**
   * @param offline the offline evaluation of the same scenario, for the live-vs-offline comparison
   * @param platformCpu the platform's own CPU during the traffic (summary.json's platformCpu; null when empty)
   */
  public RunOutput(Scenario scenario, TrafficModel model, RunInfo info, List<Sample> samples, List<Notification> notifications,
      Optional<Evaluator.Result> offline, Optional<PlatformCpu> platformCpu) {
    this.offline = offline;
    this.platformCpu = platformCpu;
    List<Evaluator.Second> offlineSeconds = offline.map(Evaluator.Result::seconds).orElse(List.of());
    this.scenario = scenario;
    this.model = model;
    this.info = info;
    this.notifications = List.copyOf(notifications);
    int seconds = (int) model.duration().toSeconds();
    int next = 0;
    Sample last = null;
    for (int t = 0; t < seconds; t++) {
      // the newest sample taken by the end of this second stands for it (samples may be sparser than 1/s)
      while (next < samples.size() && samples.get(next).t() < t + 1) {
        last = samples.get(next++);
      }
      Duration at = Duration.ofSeconds(t);
      double legit = model.legitimateRateAt(at);
      double attack = model.attackRateAt(at);
      Evaluator.Second o = t < offlineSeconds.size() ? offlineSeconds.get(t) : null;
      rows.add(new Row(t, model.phaseAt(at), legit + attack, legit, attack, last,
          o == null ? null : o.naiveReplicas(), replicasFor(legit), o == null ? null : o.replicas(),
          o != null && o.attackSuspected()));
    }
    this.alerts = spans(samples);
  }

  /** clamp(ceil(rate / (capacity × targetLoad)), min, max): what the legitimate traffic needs. */
  int replicasFor(double rate) {
    int n = (int) Math.ceil(rate / (info.capacityPerReplica() * info.targetLoad()) - 1e-9);
    return Math.max(info.minReplicas(), Math.min(info.maxReplicas(), n));
  }

  private static List<AlertSpan> spans(List<Sample> samples) {
    Map<String, double[]> open = new LinkedHashMap<>();
    Map<String, String> severity = new TreeMap<>();
    List<AlertSpan> done = new ArrayList<>();
    for (Sample s : samples) {
      Map<String, String> firing = s.firingAlerts() == null ? Map.of() : s.firingAlerts();
      firing.forEach((name, sev) -> {
        open.computeIfAbsent(name, n -> new double[] {s.t()});
        severity.put(name, sev);
      });
      for (String name : List.copyOf(open.keySet())) {
        if (!firing.containsKey(name)) {
          done.add(new AlertSpan(name, severity.get(name), open.remove(name)[0], s.t()));
        }
      }
    }
    open.forEach((name, start) -> done.add(new AlertSpan(name, severity.get(name), start[0], null)));
    done.sort(java.util.Comparator.comparingDouble(AlertSpan::firedAt));
    return done;
  }

  /** The ScaledObject's maxReplicaCount. */
  public int maxReplicas() {
    return info.maxReplicas();
  }

  public List<Row> rows() {
    return rows;
  }

  public List<Notification> notifications() {
    return notifications;
  }

  public List<AlertSpan> alerts() {
    return alerts;
  }

  /** Which replica line of the rows. */
  enum Line { LIVE, NAIVE, OFFLINE }

  private static Integer replicas(Row r, Line line) {
    return switch (line) {
      case LIVE -> r.sample() == null ? null : r.sample().replicas();
      case NAIVE -> r.naiveReplicas();
      case OFFLINE -> r.offlineReplicas();
    };
  }

  /** Σ max(0, replicas − needed) and Σ max(0, needed − replicas), in replica-minutes. */
  double[] waste(Line line) {
    return waste(line, 0, Integer.MAX_VALUE);
  }

  /** {@link #waste(Line)} over the seconds [from, to). */
  double[] waste(Line line, int from, int to) {
    double wasted = 0;
    double under = 0;
    for (Row r : rows) {
      Integer n = replicas(r, line);
      if (n == null || r.t() < from || r.t() >= to) {
        continue;
      }
      wasted += Math.max(0, n - r.neededReplicas()) / 60.0;
      under += Math.max(0, r.neededReplicas() - n) / 60.0;
    }
    return new double[] {wasted, under};
  }

  /** Replica-minutes above the need during the first attack: {live, naive}; null without an attack. */
  double[] wastedDuringAttack() {
    Attack a = firstAttack();
    if (a == null) {
      return null;
    }
    int from = (int) a.start().toSeconds();
    int to = a.end() == null ? Integer.MAX_VALUE : (int) a.end().toSeconds();
    return new double[] {waste(Line.LIVE, from, to)[0], waste(Line.NAIVE, from, to)[0]};
  }

  Double detectionDelaySeconds() {
    Attack a = firstAttack();
    if (a == null) {
      return null;
    }
    double start = a.start().toSeconds();
    for (Row r : rows) {
      if (r.t() >= start && r.sample() != null && r.sample().attackSuspected() != null && r.sample().attackSuspected() >= 1) {
        return r.t() - start;
      }
    }
    return null;
  }

  /** The offline scorer's detection delay of the first attack, scenario seconds. */
  Double offlineDetectionDelaySeconds() {
    Attack a = firstAttack();
    if (a == null || offline.isEmpty()) {
      return null;
    }
    double start = a.start().toSeconds();
    for (Row r : rows) {
      if (r.t() >= start && r.offlineAttack()) {
        return r.t() - start;
      }
    }
    return null;
  }

  /** Live vs offline, when the offline evaluation ran. */
  Optional<Agreement> agreement() {
    if (offline.isEmpty()) {
      return Optional.empty();
    }
    List<Integer> live = new ArrayList<>();
    List<Integer> off = new ArrayList<>();
    List<Integer> needed = new ArrayList<>();
    for (Row r : rows) {
      live.add(replicas(r, Line.LIVE));
      off.add(r.offlineReplicas() == null ? 0 : r.offlineReplicas());
      needed.add(r.neededReplicas());
    }
    return Optional.of(Agreement.of(live, off, needed, detectionDelaySeconds(), offlineDetectionDelaySeconds(),
        offline.get().setup().refreshInterval().toMillis() / 1000.0, firstAttack() != null));
  }

  Double recoverySeconds() {
    Attack a = firstAttack();
    if (a == null || a.end() == null) {
      return null;
    }
    double end = a.end().toSeconds();
    for (Row r : rows) {
      if (r.t() >= end && r.sample() != null && r.sample().legitimacyScore() != null
          && r.sample().legitimacyScore() >= NORMAL_SCORE) {
        return r.t() - end;
      }
    }
    return null;
  }

  Double legitOnlyLowScoreShare() {
    int all = 0;
    int low = 0;
    for (Row r : rows) {
      if (r.attackRate() == 0 && r.sample() != null && r.sample().legitimacyScore() != null) {
        all++;
        low += r.sample().legitimacyScore() < NORMAL_SCORE ? 1 : 0;
      }
    }
    return all == 0 ? null : (double) low / all;
  }

  private Attack firstAttack() {
    return scenario.attacks() == null || scenario.attacks().isEmpty() ? null : scenario.attacks().get(0);
  }

  /** Checks the scenario's expectations against what was recorded. */
  public List<Check> checks() {
    Expectations e = scenario.expectationsOrDefault();
    List<Check> checks = new ArrayList<>();
    if (e.replicas() != null) {
      int lo = e.replicas().min() == null ? Integer.MIN_VALUE : e.replicas().min();
      int hi = e.replicas().max() == null ? Integer.MAX_VALUE : e.replicas().max();
      int seen = 0;
      int min = Integer.MAX_VALUE;
      int max = Integer.MIN_VALUE;
      for (Row r : rows) {
        if (r.sample() != null && r.sample().replicas() != null) {
          seen++;
          min = Math.min(min, r.sample().replicas());
          max = Math.max(max, r.sample().replicas());
        }
      }
      checks.add(new Check("replicas", seen > 0 && min >= lo && max <= hi,
          seen == 0 ? "no replica samples" : "replicas stayed in " + min + "-" + max + " (allowed " + e.replicas().min() + "-" + e.replicas().max() + ")"));
    }
    for (Expectations.AlertExpectation a : e.alerts()) {
      List<AlertSpan> fired = alerts.stream().filter(s -> s.alert().equals(a.alert())).toList();
      String name = "alert " + a.alert() + (a.firesOrDefault() ? " fires" : " never fires");
      if (!a.firesOrDefault()) {
        checks.add(new Check(name, fired.isEmpty(), fired.isEmpty() ? "never fired" : "fired at " + fmt(fired.get(0).firedAt()) + " s"));
        continue;
      }
      double after = a.after() == null ? 0 : a.after().toMillis() / 1000.0;
      double before = a.before() == null ? Double.MAX_VALUE : a.before().toMillis() / 1000.0;
      boolean ok = fired.stream().anyMatch(s -> s.firedAt() >= after && s.firedAt() <= before);
      checks.add(new Check(name, ok, fired.isEmpty() ? "never fired"
          : "fired at " + fired.stream().map(s -> fmt(s.firedAt()) + " s").toList() + ", window " + fmt(after) + "-"
              + (a.before() == null ? "end" : fmt(before)) + " s"));
    }
    if (e.maxWastedReplicaMinutes() != null) {
      double w = waste(Line.LIVE)[0];
      checks.add(new Check("wasted replica-minutes", w <= e.maxWastedReplicaMinutes(),
          fmt(w) + " (max " + fmt(e.maxWastedReplicaMinutes()) + ")"));
    }
    if (e.maxWastedShareOfNaiveDuringAttack() != null) {
      double[] w = wastedDuringAttack();
      double share = e.maxWastedShareOfNaiveDuringAttack();
      boolean ok = w != null && offline.isPresent() && w[1] > 0 && w[0] <= share * w[1];
      checks.add(new Check("wasted replica-minutes during the attack", ok, w == null ? "no attack"
          : offline.isEmpty() ? "no offline naive policy to compare with"
          : w[1] == 0 ? "the naive policy wasted nothing during the attack: not tested"
          : fmt(w[0]) + " (max " + fmt(share * 100) + " % of the naive policy's " + fmt(w[1]) + " = " + fmt(share * w[1]) + ")"));
    }
    if (e.attackDetectedWithin() != null) {
      Double d = detectionDelaySeconds();
      double lim = e.attackDetectedWithin().toMillis() / 1000.0;
      checks.add(new Check("attack detected", d != null && d <= lim,
          d == null ? "never detected" : "after " + fmt(d) + " s (max " + fmt(lim) + " s)"));
    }
    if (e.recoveredWithin() != null) {
      Double d = recoverySeconds();
      double lim = e.recoveredWithin().toMillis() / 1000.0;
      checks.add(new Check("recovered", d != null && d <= lim,
          d == null ? "score never back to " + NORMAL_SCORE : "after " + fmt(d) + " s (max " + fmt(lim) + " s)"));
    }
    if (e.maxLegitimateP95Latency() != null) {
      double lim = e.maxLegitimateP95Latency().toMillis();
      double worst = rows.stream().filter(r -> r.sample() != null && r.sample().latencyP95Ms() != null)
          .mapToDouble(r -> r.sample().latencyP95Ms()).max().orElse(Double.NaN);
      checks.add(new Check("legitimate p95 latency", !Double.isNaN(worst) && worst <= lim,
          Double.isNaN(worst) ? "no latency samples" : "worst " + fmt(worst) + " ms (max " + fmt(lim) + " ms)"));
    }
    return checks;
  }

  /** Writes timeseries.csv and summary.json; returns whether every expectation passed. */
  public boolean write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Row r : rows) {
      Sample s = r.sample();
      List<String> cells = new ArrayList<>(List.of(Integer.toString(r.t()), r.phase(), fmt(r.targetRate()),
          fmt(r.legitRate()), fmt(r.attackRate())));
      if (s == null) {
        cells.addAll(List.of("", "", r.naiveReplicas() == null ? "" : r.naiveReplicas().toString(),
            Integer.toString(r.neededReplicas())));
        while (cells.size() < COLUMNS.length - 1) {
          cells.add("");
        }
      } else {
        cells.addAll(List.of(fmt(s.achievedRate()), s.replicas() == null ? "" : s.replicas().toString(),
            r.naiveReplicas() == null ? "" : r.naiveReplicas().toString(), Integer.toString(r.neededReplicas()), fmt(s.publishedValue()),
            fmt(s.demandLoad()), fmt(s.demandLag()), fmt(s.legitimacyScore()), fmt(s.attackSuspected()),
            fmt(s.loadMax()), fmt(s.loadMean()), fmt(s.lag()),
            s.pendingAlerts() == null ? "" : Integer.toString(s.pendingAlerts().size()),
            s.firingAlerts() == null ? "" : Integer.toString(s.firingAlerts().size()),
            s.notifications() == null ? "" : s.notifications().toString(), fmt(s.latencyP95Ms())));
      }
      cells.add(r.offlineReplicas() == null ? "" : r.offlineReplicas().toString());
      csv.append(String.join(",", cells)).append('\n');
    }
    Files.writeString(dir.resolve("timeseries.csv"), csv.toString());

    List<Check> checks = checks();
    boolean passed = checks.stream().allMatch(Check::passed);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("scenario", scenario.name());
    summary.put("mode", info.mode());
    summary.put("params", info.params());
    summary.put("replicas", Map.of("min", info.minReplicas(), "max", info.maxReplicas()));
    summary.put("rateUnit", RATE_UNIT);
    double[] legit = waste(Line.LIVE);
    summary.put("legit", Map.of("wastedReplicaMinutes", round(legit[0]), "underProvisionedReplicaMinutes", round(legit[1])));
    Double ratio = null;
    if (offline.isPresent()) {
      double[] naive = waste(Line.NAIVE);
      double[] off = waste(Line.OFFLINE);
      summary.put("naive", Map.of("wastedReplicaMinutes", round(naive[0]), "underProvisionedReplicaMinutes", round(naive[1]),
          "source", "offline evaluation (KEDA + HPA emulation, pod start delay), load signal only"));
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("wastedReplicaMinutes", round(off[0]));
      o.put("underProvisionedReplicaMinutes", round(off[1]));
      o.put("detectionDelaySeconds", offlineDetectionDelaySeconds());
      o.put("podStartDelaySeconds", offline.get().setup().settings().podStartDelay().toMillis() / 1000.0);
      o.put("partitions", offline.get().setup().settings().partitions());
      summary.put("offline", o);
      ratio = naive[0] == 0 ? null : round(legit[0] / naive[0]);
    } else {
      summary.put("naive", null);
      summary.put("offline", null);
    }
    summary.put("wastedRatio", ratio);
    double[] attackWaste = wastedDuringAttack();
    if (attackWaste != null) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("legitWastedReplicaMinutes", round(attackWaste[0]));
      w.put("naiveWastedReplicaMinutes", offline.isPresent() ? round(attackWaste[1]) : null);
      summary.put("duringAttack", w);
    }
    agreement().ifPresent(g -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("replicasWithinOneShare", round(g.replicasWithinOneShare()));
      m.put("wastedReplicaMinutes", Map.of("live", round(g.wasted().live()), "offline", round(g.wasted().offline())));
      m.put("underProvisionedReplicaMinutes", Map.of("live", round(g.under().live()), "offline", round(g.under().offline())));
      m.put("detectionDelaySeconds", detection(g));
      m.put("replicasAgree", g.replicasAgree());
      m.put("wastedAgree", g.wastedAgree());
      m.put("underAgree", g.underAgree());
      m.put("detectionAgree", g.detectionAgree());
      m.put("agrees", g.agrees());
      summary.put("agreement", m);
    });
    summary.put("detectionDelaySeconds", detectionDelaySeconds());
    summary.put("recoverySeconds", recoverySeconds());
    summary.put("legitOnlyLowScoreWindowShare", legitOnlyLowScoreShare());
    List<Map<String, Object>> alertList = new ArrayList<>();
    for (AlertSpan a : alerts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert", a.alert());
      m.put("severity", a.severity());
      m.put("firedAt", round(a.firedAt()));
      m.put("resolvedAt", a.resolvedAt() == null ? null : round(a.resolvedAt()));
      alertList.add(m);
    }
    summary.put("alerts", alertList);
    List<Map<String, Object>> notes = new ArrayList<>();
    for (Notification n : notifications) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("receiver", n.receiver());
      m.put("channel", n.channel());
      m.put("alert", n.alert());
      m.put("status", n.status());
      m.put("at", round(n.at()));
      notes.add(m);
    }
    summary.put("notifications", notes);
    List<Map<String, Object>> exp = new ArrayList<>();
    for (Check c : checks) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("passed", c.passed());
      m.put("detail", c.detail());
      exp.add(m);
    }
    summary.put("expectations", exp);
    summary.put("expectationsPassed", passed);
    summary.put("platformCpu", platformCpu.map(RunOutput::platformCpu).orElse(null));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("summary.json").toFile(), summary);
    return passed;
  }

  /** summary.json's platformCpu (docs/platform.md). */
  static Map<String, Object> platformCpu(PlatformCpu c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("wallSeconds", round(c.wallSeconds()));
    m.put("machineCores", c.cores());
    m.put("loadAverageStart", Double.isNaN(c.loadAverageStart()) ? null : c.loadAverageStart());
    m.put("loadAverageEnd", Double.isNaN(c.loadAverageEnd()) ? null : c.loadAverageEnd());
    m.put("totalCpuSeconds", round(c.totalCpuSeconds()));
    m.put("totalCores", round(c.totalCores()));
    m.put("mostOfMachine", c.mostOfMachine());
    List<Map<String, Object>> list = new ArrayList<>();
    for (PlatformCpu.Process p : c.processes()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", p.name());
      e.put("pid", p.pid());
      e.put("cpuSeconds", round(p.cpuSeconds()));
      e.put("cores", round(p.cores()));
      list.add(e);
    }
    m.put("processes", list);
    return m;
  }

  private static Map<String, Object> detection(Agreement g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("live", g.liveDetection());
    m.put("offline", g.offlineDetection());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String fmt(Double v) {
    if (v == null || v.isNaN()) {
      return "";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString(v.longValue());
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static String fmt(double v) {
    return fmt(Double.valueOf(v));
  }
}
