package dev.legitscaler.loadtest.run;

import dev.legitscaler.loadtest.scenario.Scenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The short verdict printed at the end of a run (what `make demo` shows). */
final class Verdict {
  private Verdict() {}

  static void print(PrintStream out, Scenario scenario, RunOutput output, Path dir) {
    List<RunOutput.Row> rows = output.rows().stream().filter(r -> r.sample() != null && r.sample().replicas() != null).toList();
    out.println();
    out.println("=== verdict: " + scenario.name() + " ===");
    int min = rows.stream().mapToInt(r -> r.sample().replicas()).min().orElse(-1);
    int max = rows.stream().mapToInt(r -> r.sample().replicas()).max().orElse(-1);
    out.printf(Locale.ROOT, "replicas: stayed in %d-%d%n", min, max);
    // flash crowd: did the replicas follow what the legitimate traffic needed?
    List<RunOutput.Row> flash = rows.stream().filter(r -> r.phase().toLowerCase(Locale.ROOT).contains("flash")).toList();
    if (!flash.isEmpty()) {
      int needed = flash.stream().mapToInt(RunOutput.Row::neededReplicas).max().orElse(0);
      int got = flash.stream().mapToInt(r -> r.sample().replicas()).max().orElse(0);
      out.printf(Locale.ROOT, "flash crowd: needed up to %d replicas, got %d -> %s%n", needed, got,
          got >= needed ? "got its replicas" : "UNDER-PROVISIONED");
    }
    // attack: compare with the replicas held when it started and with the naive policy
    List<RunOutput.Row> attack = rows.stream().filter(r -> r.attackRate() > 0).toList();
    if (!attack.isEmpty()) {
      int atStart = attack.get(0).sample().replicas();
      int peak = attack.stream().mapToInt(r -> r.sample().replicas()).max().orElse(0);
      int naivePeak = attack.stream().mapToInt(RunOutput.Row::naiveReplicas).max().orElse(0);
      int legitNeed = attack.stream().mapToInt(RunOutput.Row::neededReplicas).max().orElse(0);
      out.printf(Locale.ROOT, "attack: %d replicas at its start, peak %d (legitimate traffic needed %d, a load-only policy %d) -> %s%n",
          atStart, peak, legitNeed, naivePeak, peak <= Math.max(atStart, legitNeed) ? "no replica bought for the attack" : "BOUGHT REPLICAS");
      Double d = output.detectionDelaySeconds();
      out.println("attack detected: " + (d == null ? "never" : "after " + RunOutput.fmt(d) + " s"));
    }
    if (output.alerts().isEmpty()) {
      out.println("alerts: none fired");
    }
    for (RunOutput.AlertSpan a : output.alerts()) {
      out.printf(Locale.ROOT, "alert %s (%s): fired at %s s%s%n", a.alert(), a.severity(), RunOutput.fmt(a.firedAt()),
          a.resolvedAt() == null ? ", still firing at the end" : ", resolved at " + RunOutput.fmt(a.resolvedAt()) + " s");
    }
    // who was notified when: the first firing notification per alert, receiver and channel
    java.util.Set<String> seen = new java.util.HashSet<>();
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
}
