package dev.legitscaler.loadtest.hpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * spec.behavior: stabilization windows, Pods/Percent policies, selectPolicy, rate limits over periods
 * with event history. Policies are written "Type:value:periodSeconds", events and recommendations
 * "n@secondsAgo"; "-" is empty.
 */
class BehaviorTest {
  static final Instant NOW = HpaCasesTest.T0;

  @ParameterizedTest(name = "up limit: current {0}, up [{1}], down [{2}], {3} {4} -> {5}")
  @CsvSource(delimiter = '|', textBlock = """
      10 | -         | -    | Pods:4:15 Percent:100:15 | Max      | 20
      10 | -         | -    | Pods:4:15 Percent:100:15 | Min      | 14
      10 | -         | -    | Pods:4:15 Percent:100:15 | Disabled | 10
      1  | -         | -    | Pods:2:60 Percent:50:60  | Min      | 2
      10 | 2@30      | -    | Pods:4:60                | Max      | 12
      10 | 2@61      | -    | Pods:4:60                | Max      | 14
      10 | 2@60      | -    | Pods:4:60                | Max      | 14
      10 | 2@30      | 3@20 | Pods:4:60                | Max      | 15
      3  | -         | -    | Percent:50:60            | Max      | 5
      10 | 5@10      | -    | Percent:100:60 Pods:1:15 | Max      | 10
      10 | 5@10      | -    | Percent:100:60 Pods:1:15 | Min      | 6
      10 | 1@10 1@40 | -    | Pods:3:60                | Max      | 11
      """)
  void scaleUpLimit(int current, String up, String down, String policies, String select, int expected) {
    ScalingRules rules = new ScalingRules(0, SelectPolicy.parse(select), policies(policies));
    assertThat(RateLimits.scaleUpLimit(current, events(up), events(down), rules, NOW)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "down limit: current {0}, up [{1}], down [{2}], {3} {4} -> {5}")
  @CsvSource(delimiter = '|', textBlock = """
      5  | -    | -    | Pods:2:60 Percent:50:60 | Min      | 3
      5  | -    | -    | Pods:2:60 Percent:50:60 | Max      | 2
      5  | -    | -    | Pods:2:60 Percent:50:60 | Disabled | 5
      10 | -    | -    | Percent:100:15          | Max      | 0
      10 | -    | 2@30 | Pods:1:60               | Max      | 11
      10 | -    | -    | Percent:10:60           | Max      | 9
      7  | -    | -    | Percent:50:60           | Max      | 3
      10 | 4@10 | -    | Percent:50:60           | Max      | 3
      """)
  void scaleDownLimit(int current, String up, String down, String policies, String select, int expected) {
    ScalingRules rules = new ScalingRules(300, SelectPolicy.parse(select), policies(policies));
    assertThat(RateLimits.scaleDownLimit(current, events(up), events(down), rules, NOW)).isEqualTo(expected);
  }

  /** convertDesiredReplicasWithBehaviorRate: limits, then min/max, with the reason upstream reports. */
  @ParameterizedTest(name = "{0} -> {1} in [{2},{3}] up {4} {5} down {6} {7} events up [{8}] -> {9} {10}")
  @CsvSource(delimiter = '|', textBlock = """
      4 | 10 | 4 | 6  | Pods:4:15 Percent:100:15 | Max      | Percent:100:15 | Max      | -    | 6 | TooManyReplicas
      4 | 6  | 4 | 20 | Pods:1:60                | Max      | Percent:100:15 | Max      | -    | 5 | ScaleUpLimit
      4 | 6  | 4 | 20 | Pods:1:60                | Max      | Percent:100:15 | Max      | 1@30 | 4 | ScaleUpLimit
      6 | 4  | 4 | 6  | Pods:4:15                | Max      | Pods:1:60      | Max      | -    | 5 | ScaleDownLimit
      6 | 2  | 4 | 6  | Pods:4:15                | Max      | Percent:100:15 | Max      | -    | 4 | TooFewReplicas
      6 | 4  | 4 | 6  | Pods:4:15                | Max      | Percent:100:15 | Disabled | -    | 6 | ScaleDownLimit
      4 | 6  | 4 | 6  | Pods:4:15                | Disabled | Percent:100:15 | Max      | -    | 4 | ScaleUpLimit
      5 | 5  | 4 | 6  | Pods:4:15                | Max      | Percent:100:15 | Max      | -    | 5 | DesiredWithinRange
      4 | 5  | 4 | 6  | Pods:4:15                | Max      | Percent:100:15 | Max      | -    | 5 | DesiredWithinRange
      """)
  void behaviorRate(int current, int desired, int min, int max, String upPolicies, String upSelect, String downPolicies,
      String downSelect, String upEvents, int expected, String reason) {
    Behavior b = new Behavior(new ScalingRules(0, SelectPolicy.parse(upSelect), policies(upPolicies)),
        new ScalingRules(300, SelectPolicy.parse(downSelect), policies(downPolicies)));
    Limited l = RateLimits.withBehaviorRate(current, desired, min, max, b, events(upEvents), List.of(), NOW);
    assertThat(l.replicas()).isEqualTo(expected);
    assertThat(l.reason()).isEqualTo(reason);
  }

  /** Legacy clamp: [min, min(max, max(2 × current, 4))]. */
  @ParameterizedTest(name = "legacy: {0} -> {1} in [{2},{3}] -> {4} {5}")
  @CsvSource(delimiter = '|', textBlock = """
      1 | 10 | 1 | 20 | 4  | ScaleUpLimit
      3 | 10 | 1 | 20 | 6  | ScaleUpLimit
      5 | 12 | 1 | 20 | 10 | ScaleUpLimit
      5 | 12 | 1 | 8  | 8  | TooManyReplicas
      5 | 1  | 2 | 8  | 2  | TooFewReplicas
      5 | 7  | 2 | 8  | 7  | DesiredWithinRange
      """)
  void legacyRules(int current, int desired, int min, int max, int expected, String reason) {
    Limited l = RateLimits.withRules(current, desired, min, max);
    assertThat(l.replicas()).isEqualTo(expected);
    assertThat(l.reason()).isEqualTo(reason);
  }

  /** Windows: upRec = min(raw, recs in up window), downRec = max(raw, recs in down window). */
  @ParameterizedTest(name = "behavior window: current {0} raw {1} history [{2}] up {3}s down {4}s -> {5}")
  @CsvSource(delimiter = '|', textBlock = """
      4 | 6 | 5@10 4@100 | 60 | 300 | 5 | ScaleUpStabilized
      4 | 6 | 3@10       | 60 | 300 | 4 | ScaleUpStabilized
      4 | 6 | 5@10       | 0  | 300 | 6 | ScaleUpStabilized
      6 | 4 | 6@100      | 0  | 300 | 6 | ScaleDownStabilized
      6 | 4 | 6@301      | 0  | 300 | 4 | ScaleDownStabilized
      6 | 4 | 6@300      | 0  | 300 | 4 | ScaleDownStabilized
      6 | 4 | 5@299      | 0  | 300 | 5 | ScaleDownStabilized
      5 | 5 | 7@10 3@10  | 60 | 300 | 5 | ScaleUpStabilized
      """)
  void behaviorWindows(int current, int raw, String history, int upWindow, int downWindow, int expected, String reason) {
    Behavior b = new Behavior(new ScalingRules(upWindow, SelectPolicy.Max, policies("Pods:4:15")),
        new ScalingRules(downWindow, SelectPolicy.Max, policies("Percent:100:15")));
    Stabilization.Result r = Stabilization.withBehavior(recs(history), current, raw, b, NOW);
    assertThat(r.replicas()).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.history()).endsWith(new Recommendation(raw, NOW));
  }

  /** Legacy keeps a sample exactly at the cutoff ({@code Before}); the behavior path drops it ({@code After}). */
  @ParameterizedTest(name = "legacy window: raw {0} history [{1}] -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      4 | 6@300       | 6
      4 | 6@301       | 4
      4 | 6@301 5@299 | 5
      """)
  void legacyWindow(int raw, String history, int expected) {
    Stabilization.Result r = Stabilization.legacy(recs(history), raw, NOW, Duration.ofMinutes(5));
    assertThat(r.replicas()).isEqualTo(expected);
  }

  /** Samples out of every window are reused, so the history does not grow without bound. */
  @ParameterizedTest(name = "history [{0}] after one more recommendation has {1} entries")
  @CsvSource(delimiter = '|', textBlock = """
      3@400 5@10 | 2
      5@10       | 2
      3@400 3@500 5@10 | 3
      """)
  void oldSamplesAreReused(String history, int size) {
    Stabilization.Result r = Stabilization.withBehavior(recs(history), 5, 5, Behavior.defaults(300), NOW);
    assertThat(r.history()).hasSize(size).contains(new Recommendation(5, NOW));
    assertThat(Stabilization.legacy(recs(history), 5, NOW, Duration.ofMinutes(5)).history()).hasSize(size);
  }

  /** storeScaleEvent reuses the slot of an event older than the longest policy period. */
  @ParameterizedTest(name = "up events [{0}] + {1} with longest period {2}s -> [{3}]")
  @CsvSource(delimiter = '|', textBlock = """
      -         | 2 | 60 | 2@0
      1@30      | 2 | 60 | 1@30 2@0
      1@90      | 2 | 60 | 2@0
      1@90 1@30 | 2 | 60 | 2@0 1@30
      1@90 1@30 | 2 | 120 | 1@90 1@30 2@0
      """)
  void scaleEventStore(String before, int change, int period, String after) {
    Behavior b = new Behavior(new ScalingRules(0, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(4, period))),
        ScalingRules.defaultScaleDown(300));
    RateLimits.Events e = RateLimits.storeScaleEvent(b, new RateLimits.Events(events(before), List.of()), 4, 4 + change, NOW);
    assertThat(e.scaleUp().stream().map(x -> x.change() + "@" + Duration.between(x.at(), NOW).toSeconds()).toList())
        .containsExactlyElementsOf(Arrays.asList(after.trim().split("\\s+")));
    assertThat(e.scaleDown()).isEmpty();
  }

  /**
   * Controller over time: the metric wants 20 from 4 replicas; scale-up Pods 2 per 60 s. Every 15 s
   * sync: the event history holds the next step back until the event ages past the period (an event
   * exactly 60 s old no longer counts).
   */
  @ParameterizedTest(name = "Pods 2/60s from 4: {0}")
  @CsvSource(delimiter = '|', textBlock = """
      6 6 6 6 8 8 8 8 10 | ScaleUpLimit
      """)
  void rateLimitOverPeriods(String expectedTimeline, String reason) {
    Behavior b = new Behavior(new ScalingRules(0, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(2, 60))),
        ScalingRules.defaultScaleDown(300));
    HpaSpec spec = new HpaSpec(1, 20, List.of(HpaCasesTest.metric("m", "AverageValue", "1")), Optional.of(b));
    MutableClock clock = new MutableClock(NOW);
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), clock);
    int replicas = 4;
    List<String> timeline = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ReconcileResult r = c.reconcile(ScaleTarget.settled(replicas), name -> MetricReading.Values.of(20_000));
      assertThat(r.reason()).isEqualTo(reason);
      replicas = r.desiredReplicas();
      timeline.add(String.valueOf(replicas));
      clock.advance(Duration.ofSeconds(15));
    }
    assertThat(String.join(" ", timeline)).isEqualTo(expectedTimeline);
  }

  /**
   * Default behavior (scale-down window 300 s) from 6 to the metric's 4: held while the seed is inside
   * the window. The behavior path drops the sample exactly 300 s old, so 4 comes one sync earlier than
   * on the legacy path.
   */
  @ParameterizedTest(name = "6 -> 4 with {0}: last 6 at t={1}s")
  @CsvSource({"behavior, 285", "legacy, 300"})
  void scaleDownWindow(String path, int lastAtSix) {
    Optional<Behavior> b = path.equals("behavior") ? Optional.of(Behavior.defaults(300)) : Optional.empty();
    HpaSpec spec = new HpaSpec(4, 6, List.of(HpaCasesTest.metric("m", "AverageValue", "1")), b);
    MutableClock clock = new MutableClock(NOW);
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), clock);
    int replicas = 6;
    for (int t = 0; t <= 450; t += 15) {
      clock.set(NOW.plusSeconds(t));
      ReconcileResult r = c.reconcile(ScaleTarget.settled(replicas), name -> MetricReading.Values.of(4_000));
      assertThat(r.desiredReplicas()).as("t=%d", t).isEqualTo(t <= lastAtSix ? 6 : 4);
      if (t <= lastAtSix) {
        assertThat(r.reason()).isEqualTo("ScaleDownStabilized");
      }
      replicas = r.desiredReplicas();
    }
  }

  /**
   * A scale-up window holds a rise back until the last lower recommendation is a whole window old
   * (the 4 recorded at sync 0, t=0, leaves a 30 s window at t=30: {@code After(cutoff)} is false).
   */
  @ParameterizedTest(name = "scale-up window {0}s: first 6 at sync {1}")
  @CsvSource({"0, 1", "15, 1", "30, 2", "60, 4"})
  void scaleUpWindow(int window, int firstSyncAtSix) {
    Behavior b = new Behavior(new ScalingRules(window, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(4, 15))),
        ScalingRules.defaultScaleDown(300));
    HpaSpec spec = new HpaSpec(4, 6, List.of(HpaCasesTest.metric("m", "AverageValue", "1")), Optional.of(b));
    MutableClock clock = new MutableClock(NOW);
    HpaController c = new HpaController(spec, ControllerConfig.defaults(), clock, HpaHistory.ofRecommendations(List.of()));
    int replicas = 4;
    // sync 0: the metric still says 4; from sync 1 on it says 6
    for (int sync = 0; sync <= 6; sync++) {
      long usage = sync == 0 ? 4_000 : 6_000;
      ReconcileResult r = c.reconcile(ScaleTarget.settled(replicas), name -> MetricReading.Values.of(usage));
      assertThat(r.desiredReplicas()).as("sync %d", sync).isEqualTo(sync >= firstSyncAtSix ? 6 : 4);
      if (sync >= 1 && sync < firstSyncAtSix) {
        assertThat(r.reason()).isEqualTo("ScaleUpStabilized");
      }
      replicas = r.desiredReplicas();
      clock.advance(Duration.ofSeconds(15));
    }
  }

  static List<ScalingPolicy> policies(String s) {
    List<ScalingPolicy> out = new ArrayList<>();
    for (String p : s.trim().split("\\s+")) {
      String[] f = p.split(":");
      int v = Integer.parseInt(f[1]);
      int period = Integer.parseInt(f[2]);
      out.add(f[0].equals("Pods") ? new ScalingPolicy.Pods(v, period) : new ScalingPolicy.Percent(v, period));
    }
    return out;
  }

  static List<ScaleEvent> events(String s) {
    List<ScaleEvent> out = new ArrayList<>();
    if (s == null || s.isBlank() || s.trim().equals("-")) {
      return out;
    }
    for (String item : s.trim().split("\\s+")) {
      String[] p = item.split("@");
      out.add(new ScaleEvent(Integer.parseInt(p[0]), NOW.minusSeconds(Long.parseLong(p[1]))));
    }
    return out;
  }

  static List<Recommendation> recs(String s) {
    List<Recommendation> out = new ArrayList<>();
    if (s == null || s.isBlank() || s.trim().equals("-")) {
      return out;
    }
    for (String item : s.trim().split("\\s+")) {
      String[] p = item.split("@");
      out.add(new Recommendation(Integer.parseInt(p[0]), NOW.minusSeconds(Long.parseLong(p[1]))));
    }
    return out;
  }
}
