package dev.legitscaler.loadtest.hpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every case of the HPA acceptance list, one table row each. Quantities are written as upstream's. */
class HpaCasesTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Tolerance TOL = ControllerConfig.defaults().tolerance();

  /** Cases 1–7: the replica calculator alone. {@code ready} lists pod readiness, y/n, in pod order. */
  @ParameterizedTest(name = "case {0}: {1} T={2} U={3} current={4} ready={5} -> {6}")
  @CsvSource(delimiter = '|', textBlock = """
      1 | Value        | 4.4    | 8.6 | 1 | y     | 2 |
      2 | Value        | 4.4    | 8.6 | 3 | n y n | 2 |
      3 | AverageValue | 2.15   | 8.6 | 3 | y y y | 4 | 2.867
      4 | Value        | 14.334 | 8.6 | 5 | y y y y y | 3 |
      5 | AverageValue | 2.867  | 8.6 | 5 | y y y y y | 3 | 1.72
      6 | Value        | 8.888  | 8.6 | 3 | y y y | 3 |
      7 | AverageValue | 2.9    | 8.6 | 3 | y y y | 3 |
      """)
  void replicaCalculatorCases(int caseNo, String type, String target, String usage, int current, String ready,
      int expected, String reportedAverage) {
    long t = Quantities.parseMilli(target);
    long u = Quantities.parseMilli(usage);
    MetricOutcome out = type.equals("Value")
        ? ReplicaCalculator.externalValue("m", current, t, u, TOL, pods(ready))
        : ReplicaCalculator.externalPerPod("m", current, t, u, TOL);
    assertThat(out).isInstanceOf(MetricOutcome.Proposed.class);
    MetricOutcome.Proposed p = (MetricOutcome.Proposed) out;
    assertThat(p.replicas()).as("case %d", caseNo).isEqualTo(expected);
    if (reportedAverage != null) {
      assertThat(Quantities.format(p.usageMilli())).isEqualTo(reportedAverage);
    }
  }

  /** Cases 8–13: the full reconcile with a known, empty recommendation history. */
  @ParameterizedTest(name = "case {0}: {1} min={2} max={3} current={4} T={5} U={6} -> {7}")
  @CsvSource(delimiter = '|', textBlock = """
      8  | Value        | 2 | 6 | 3 | 6.666 | 8.6 | 4
      9  | AverageValue | 2 | 6 | 3 | 2.222 | 8.6 | 4
      10 | Value        | 2 | 6 | 5 | 14.4  | 8.6 | 3
      11 | AverageValue | 2 | 6 | 5 | 3.0   | 8.6 | 3
      12 | Value        | 1 | 10 | 4 | 8.666 | 8.6 | 4
      13 | AverageValue | 1 | 10 | 4 | 2.2   | 8.6 | 4
      """)
  void fullLoopCases(int caseNo, String type, int min, int max, int current, String target, String usage, int expected) {
    HpaSpec spec = new HpaSpec(min, max, List.of(metric("m", type, target)), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0), HpaHistory.ofRecommendations(List.of()));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current), name -> MetricReading.Values.of(Quantities.parseMilli(usage)));
    assertThat(r.desiredReplicas()).as("case %d", caseNo).isEqualTo(expected);
    assertThat(r.rescale()).isEqualTo(expected != current);
  }

  /** Cases 14–15: a resource metric (CPU) proposes, the external metric fails (computeReplicasForMetrics). */
  @ParameterizedTest(name = "case {0}: cpu proposes {1}, external fails, current {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      14 | 4 | 3 | 4
      15 | 3 | 5 | 5
      """)
  void oneMetricFailing(int caseNo, int cpuProposal, int current, int expected) {
    List<MetricOutcome> outcomes = List.of(
        new MetricOutcome.Proposed("cpu", cpuProposal, 0, 1.0),
        new MetricOutcome.Invalid("external", ReplicaCalculator.FAILED_GET_EXTERNAL_METRIC, "boom"));
    ReplicaCalculator.Combined c = ReplicaCalculator.combine(outcomes, current);
    int replicas = c instanceof ReplicaCalculator.Combined.Proposal p ? p.replicas() : current;
    assertThat(replicas).as("case %d", caseNo).isEqualTo(expected);
  }

  /** Cases 14–15 through the controller: two external metrics, the second fails. */
  @ParameterizedTest(name = "case {0} (controller): first proposes {1}, second fails, current {2} -> {3} ({4})")
  @CsvSource(delimiter = '|', textBlock = """
      14 | 4 | 3 | 4 | DesiredWithinRange
      15 | 3 | 5 | 5 | FailedGetExternalMetric
      """)
  void oneMetricFailingThroughController(int caseNo, int firstProposal, int current, int expected, String reason) {
    HpaSpec spec = new HpaSpec(1, 10, List.of(metric("a", "AverageValue", "1"), metric("b", "AverageValue", "1")), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0), HpaHistory.ofRecommendations(List.of()));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current),
        name -> name.equals("a") ? MetricReading.Values.of(firstProposal * 1000L) : new MetricReading.Failed("unavailable"));
    assertThat(r.desiredReplicas()).as("case %d", caseNo).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.error()).isPresent();
  }

  /** Cases 16–17: current outside [min, max] is fixed without reading any metric. */
  @ParameterizedTest(name = "case {0}: min={1} max={2} current={3} -> {4} ({5})")
  @CsvSource(delimiter = '|', textBlock = """
      16 | 3 | 5 | 2  | 3 | TooFewReplicas
      17 | 3 | 5 | 10 | 5 | TooManyReplicas
      """)
  void clampsWithoutMetrics(int caseNo, int min, int max, int current, int expected, String reason) {
    HpaSpec spec = new HpaSpec(min, max, List.of(metric("m", "AverageValue", "1")), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current), name -> fail("metrics must not be read"));
    assertThat(r.desiredReplicas()).as("case %d", caseNo).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.rescale()).isTrue();
  }

  /** Current 0 with min ≠ 0: scaling disabled, metrics not read. */
  @ParameterizedTest(name = "current 0, min {0} -> {1}")
  @CsvSource({"1, ScalingDisabled", "4, ScalingDisabled"})
  void zeroReplicasDisablesScaling(int min, String reason) {
    HpaSpec spec = new HpaSpec(min, 6, List.of(metric("m", "AverageValue", "1")), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(0), name -> fail("metrics must not be read"));
    assertThat(r.desiredReplicas()).isZero();
    assertThat(r.rescale()).isFalse();
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.conditions().get("ScalingActive").reason()).isEqualTo("ScalingDisabled");
  }

  /**
   * Cases 18–20: legacy stabilization. {@code history} is "replicas@minutesAgo ..."; "-" means the
   * controller never saw the HPA (first reconcile seeds {current, now}).
   */
  @ParameterizedTest(name = "case {0}: current={1} raw={2} history={3} -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      18 | 5 | 3 | -                    | 5
      19 | 4 | 2 | 10@10 4@1            | 4
      20 | 4 | 3 | 10@10 4@1 5@2 9@9    | 5
      """)
  void legacyStabilization(int caseNo, int current, int raw, String history, int expected) {
    HpaHistory h = history.equals("-") ? HpaHistory.none() : HpaHistory.ofRecommendations(recs(history));
    HpaSpec spec = new HpaSpec(1, 10, List.of(metric("m", "AverageValue", "1")), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0), h);
    // AverageValue with target 1: U = raw × 1000 milli proposes exactly raw (outside the tolerance)
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current), name -> MetricReading.Values.of(raw * 1000L));
    assertThat(r.metricProposal()).contains(raw);
    assertThat(r.desiredReplicas()).as("case %d", caseNo).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(expected == raw ? "DesiredWithinRange" : "ScaleDownStabilized");
  }

  /** The 4–6 range (AverageValue, T = 100, no behavior, fresh history). */
  @ParameterizedTest(name = "current {0}, U={1} -> {2} ({3})")
  @CsvSource(delimiter = '|', textBlock = """
      4 | 420  | 4 | DesiredWithinRange
      4 | 450  | 5 | DesiredWithinRange
      5 | 540  | 5 | DesiredWithinRange
      5 | 560  | 6 | DesiredWithinRange
      4 | 2000 | 6 | TooManyReplicas
      """)
  void range4to6(int current, String usage, int expected, String reason) {
    HpaSpec spec = new HpaSpec(4, 6, List.of(metric("m", "AverageValue", "100")), Optional.empty());
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), new MutableClock(T0));
    ReconcileResult r = c.reconcile(ScaleTarget.settled(current), name -> MetricReading.Values.of(Quantities.parseMilli(usage)));
    assertThat(r.desiredReplicas()).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(reason);
  }

  /** The last 4–6 row: 6 replicas at U=100 hold for the 5-minute window, then drop to min 4. */
  @ParameterizedTest(name = "6 replicas at U=100, sync every {0}s: 6 through t={1}s, 4 from t={2}s")
  @CsvSource({"15, 300, 315"})
  void range4to6ScaleDownAfterWindow(int syncSeconds, int lastAtSix, int firstAtFour) {
    HpaSpec spec = new HpaSpec(4, 6, List.of(metric("m", "AverageValue", "100")), Optional.empty());
    MutableClock clock = new MutableClock(T0);
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), clock);
    int replicas = 6;
    List<String> timeline = new ArrayList<>();
    for (int t = 0; t <= 600; t += syncSeconds) {
      clock.set(T0.plusSeconds(t));
      ReconcileResult r = c.reconcile(ScaleTarget.settled(replicas), name -> MetricReading.Values.of(100_000));
      int expected = t <= lastAtSix ? 6 : 4;
      assertThat(r.desiredReplicas()).as("t=%d", t).isEqualTo(expected);
      if (t == firstAtFour) {
        assertThat(r.reason()).isEqualTo("TooFewReplicas");
      } else if (t <= lastAtSix) {
        assertThat(r.reason()).isEqualTo("ScaleDownStabilized");
      }
      replicas = r.desiredReplicas();
      timeline.add(t + ":" + replicas);
    }
    assertThat(timeline).contains(lastAtSix + ":6", firstAtFour + ":4");
  }

  static ExternalMetric metric(String name, String type, String target) {
    long t = Quantities.parseMilli(target);
    return new ExternalMetric(name, type.equals("Value") ? new MetricTarget.Value(t) : new MetricTarget.AverageValue(t));
  }

  static PodCounts pods(String ready) {
    String[] flags = ready.trim().split("\\s+");
    int r = 0;
    for (String f : flags) {
      if (f.equals("y")) {
        r++;
      }
    }
    return new PodCounts(flags.length, r);
  }

  static List<Recommendation> recs(String spec) {
    List<Recommendation> out = new ArrayList<>();
    for (String item : spec.trim().split("\\s+")) {
      String[] p = item.split("@");
      out.add(new Recommendation(Integer.parseInt(p[0]), T0.minus(Duration.ofMinutes(Long.parseLong(p[1])))));
    }
    return out;
  }
}
