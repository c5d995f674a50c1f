package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.scenario.Attack;
import dev.legitscaler.loadtest.scenario.Phase;
import dev.legitscaler.loadtest.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The short verdict printed at the end of a run (what `make demo` shows). Each claim is made only when
 * the run really tested it: the functions below decide from the per-second replica lines alone.
 */
final class Verdict {
  private Verdict() {}

  /** One verdict line and whether it reports a success, a failure or something the run did not test. */
  enum Outcome { HELD, FAILED, NOT_TESTED }

  record Line(Outcome outcome, String text) {}

  /**
   * The flash crowd got its replicas only when it needed more than were running when it began, and the
   * replicas reached that need after it began (and before it ended).
   *
   * @param replicas legit-scaler's replicas per second (null: no sample)
   * @param needed what the legitimate traffic needed per second
   * @param start first second of the crowd, {@code end} one past its last
   */
  static Line flashCrowd(List<Integer> replicas, List<Integer> needed, int start, int end) {
    Integer before = firstKnown(replicas, start, end);
    int peakNeed = max(needed, start, end);
    if (before == null) {
      return new Line(Outcome.NOT_TESTED, "flash crowd: no replica samples");
    }
    if (peakNeed <= before) {
      return new Line(Outcome.NOT_TESTED, String.format(Locale.ROOT,
          "flash crowd: needed at most %d replicas, %d were already running when it began -> nothing to add, not tested",
          peakNeed, before));
    }
    for (int t = start; t < end && t < replicas.size(); t++) {
      Integer r = replicas.get(t);
      if (r != null && r >= peakNeed) {
        return new Line(Outcome.HELD, String.format(Locale.ROOT,
            "flash crowd: needed up to %d replicas, %d when it began; %d reached %d s after it began -> the flash crowd got its replicas",
            peakNeed, before, peakNeed, t - start));
      }
    }
    return new Line(Outcome.FAILED, String.format(Locale.ROOT,
        "flash crowd: needed up to %d replicas, %d when it began, at most %d during it -> UNDER-PROVISIONED",
        peakNeed, before, maxKnown(replicas, start, end)));
  }

  /**
   * No replica bought for the attack only when the naive (load-only) policy did buy replicas during it
   * and legit-scaler, below its maximum when the attack began (else it could not buy any), went no
   * higher than what it had at the attack's start or the legitimate traffic needed.
   */
  static Line attack(List<Integer> replicas, List<Integer> naive, List<Integer> needed, int start, int end, int maxReplicas) {
    Integer atStart = firstKnown(replicas, start, end);
    Integer naiveAtStart = firstKnown(naive, start, end);
    if (atStart == null) {
      return new Line(Outcome.NOT_TESTED, "attack: no replica samples");
    }
    int peak = maxKnown(replicas, start, end);
    int legitNeed = max(needed, start, end);
    int allowed = Math.max(atStart, legitNeed);
    String legit = String.format(Locale.ROOT, "legit-scaler %d -> peak %d (legitimate traffic needed %d)", atStart, peak, legitNeed);
    if (peak > allowed) {
      return new Line(Outcome.FAILED, "attack: " + legit + " -> BOUGHT " + (peak - allowed) + " REPLICA(S) FOR THE ATTACK");
    }
    if (atStart >= maxReplicas) {
      return new Line(Outcome.NOT_TESTED, "attack: " + legit + "; already at its maximum of " + maxReplicas
          + " when the attack began, so it could not buy any -> not tested");
    }
    if (naiveAtStart == null) {
      return new Line(Outcome.NOT_TESTED, "attack: " + legit + "; no naive policy to compare with -> not tested");
    }
    int naivePeak = maxKnown(naive, start, end);
    String load = String.format(Locale.ROOT, "a load-only policy %d -> peak %d", naiveAtStart, naivePeak);
    if (naivePeak <= Math.max(naiveAtStart, legitNeed)) {
      return new Line(Outcome.NOT_TESTED, "attack: " + legit + ", " + load
          + " -> the attack bought nothing even without legitimacy, not tested");
    }
    return new Line(Outcome.HELD, "attack: " + legit + ", " + load + " -> no replica bought for the attack");
  }

  static void print(PrintStream out, Scenario scenario, RunOutput output, Path dir) {
    List<RunOutput.Row> rows = output.rows();
    List<Integer> replicas = new ArrayList<>();
    List<Integer> naive = new ArrayList<>();
    List<Integer> needed = new ArrayList<>();
    for (RunOutput.Row r : rows) {
      replicas.add(r.sample() == null ? null : r.sample().replicas());
      naive.add(r.naiveReplicas());
      needed.add(r.neededReplicas());
    }
    out.println();
    out.println("=== verdict: " + scenario.name() + " ===");
    List<Integer> known = replicas.stream().filter(java.util.Objects::nonNull).toList();
    out.printf(Locale.ROOT, "replicas: stayed in %d-%d%n", known.stream().mapToInt(i -> i).min().orElse(-1),
        known.stream().mapToInt(i -> i).max().orElse(-1));
    long phaseStart = 0;
    for (Phase p : scenario.legitimate().phases()) {
      long phaseEnd = phaseStart + p.duration().toSeconds();
      if (p instanceof Phase.FlashCrowd) {
        out.println(flashCrowd(replicas, needed, (int) phaseStart, (int) phaseEnd).text());
      }
      phaseStart = phaseEnd;
    }
    for (Attack a : scenario.attacks() == null ? List.<Attack>of() : scenario.attacks()) {
      int end = a.end() == null ? rows.size() : (int) a.end().toSeconds();
      out.println(attack(replicas, naive, needed, (int) a.start().toSeconds(), end, output.maxReplicas()).text());
    }
    if (scenario.attacks() != null && !scenario.attacks().isEmpty()) {
      Double d = output.detectionDelaySeconds();
      out.println("attack detected: " + (d == null ? "never" : "after " + RunOutput.fmt(d) + " s"));
    }
    output.agreement().ifPresent(g -> out.printf(Locale.ROOT,
        "live vs offline: replicas within ±1 for %.0f %% of the scenario; wasted %s vs %s, under-provisioned %s vs %s"
            + " replica-minutes; %s -> %s%n", 100 * g.replicasWithinOneShare(),
        RunOutput.fmt(g.wasted().live()), RunOutput.fmt(g.wasted().offline()), RunOutput.fmt(g.under().live()),
        RunOutput.fmt(g.under().offline()), detectionPair(g.liveDetection(), g.offlineDetection()),
        g.agrees() ? "agree" : "DISAGREE"));
    if (output.alerts().isEmpty()) {
      out.println("alerts: none fired");
    }
    for (RunOutput.AlertSpan a : output.alerts()) {
      out.printf(Locale.ROOT, "alert %s (%s): fired at %s s%s%n", a.alert(), a.severity(), RunOutput.fmt(a.firedAt()),
          a.resolvedAt() == null ? ", still firing at the end" : ", resolved at " + RunOutput.fmt(a.resolvedAt()) + " s");
    }
    // who was notified when: the first firing notification per alert, receiver and channel
    Set<String> seen = new HashSet<>();
    for (Notification n : output.notifications()) {
      if ("firing".equals(n.status()) && seen.add(n.alert() + "/" + n.receiver() + "/" + n.channel())) {
        out.printf(Locale.ROOT, "notified: %s -> %s by %s at %s s%n", n.alert(), n.receiver(), n.channel(), RunOutput.fmt(n.at()));
      }
    }
    for (RunOutput.Check c : output.checks()) {
      out.printf(Locale.ROOT, "[%s] %s: %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail());
    }
    out.println("results: " + dir.resolve("summary.json") + ", " + dir.resolve("timeseries.csv"));
    out.println("report: " + dir.resolve("report.html"));
  }

  private static Integer firstKnown(List<Integer> xs, int start, int end) {
    for (int t = Math.max(0, start); t < end && t < xs.size(); t++) {
      if (xs.get(t) != null) {
        return xs.get(t);
      }
    }
    return null;
  }

  private static int maxKnown(List<Integer> xs, int start, int end) {
    int m = Integer.MIN_VALUE;
    for (int t = Math.max(0, start); t < end && t < xs.size(); t++) {
      if (xs.get(t) != null) {
        m = Math.max(m, xs.get(t));
      }
    }
    return m;
  }

  private static int max(List<Integer> xs, int start, int end) {
    int m = 0;
    for (int t = Math.max(0, start); t < end && t < xs.size(); t++) {
      m = Math.max(m, xs.get(t));
    }
    return m;
  }

  /** The live and offline detection delays for the agreement line; null is a side that detected nothing. */
  static String detectionPair(Double live, Double offline) {
    if (live == null && offline == null) {
      return "no attack detected live or offline";
    }
    return "detection " + detectionSide(live) + " vs " + detectionSide(offline);
  }

  private static String detectionSide(Double seconds) {
    return seconds == null ? "never" : RunOutput.fmt(seconds) + " s";
  }
}
