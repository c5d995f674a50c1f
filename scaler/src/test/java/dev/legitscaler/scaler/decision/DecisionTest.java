package dev.legitscaler.scaler.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven tests of the pure decision, in the style of the HPA controller's replica tests. */
class DecisionTest {
  private static final Duration AGE = Duration.ofSeconds(2);

  static final DecisionPolicy REPLICAS = new DecisionPolicy(4, 6, new MetricEncoding.Replicas(), 0, true,
      LegitimacyMode.ENFORCE, 0.7, 10);
  static final DecisionPolicy SHADOW = new DecisionPolicy(4, 6, new MetricEncoding.Replicas(), 0, true,
      LegitimacyMode.SHADOW, 0.7, 10);
  static final DecisionPolicy NO_HOLD = new DecisionPolicy(4, 6, new MetricEncoding.Replicas(), 0, false,
      LegitimacyMode.ENFORCE, 0.7, 10);
  static final DecisionPolicy LOAD = new DecisionPolicy(4, 6, new MetricEncoding.LoadPerMille(0.7), 0, true,
      LegitimacyMode.ENFORCE, 0.7, 10);
  static final DecisionPolicy ZERO_MIN = new DecisionPolicy(0, 6, new MetricEncoding.Replicas(), 0.5, true,
      LegitimacyMode.ENFORCE, 0.7, 10);

  record Case(String name, DecisionPolicy policy, SignalState<LoadReading> load, SignalState<LagReading> lag,
      SignalState<LegitimacyReading> legit, OptionalLong last,
      boolean available, String state, long value, boolean active, String clamp,
      boolean heldPartial, boolean heldUnscored) {
    @Override
    public String toString() {
      return name;
    }
  }

  static SignalState<LoadReading> load(double... perInstance) {
    List<LoadReading.InstanceLoad> l = new ArrayList<>();
    for (int i = 0; i < perInstance.length; i++) {
      l.add(new LoadReading.InstanceLoad("pod-" + i, perInstance[i]));
    }
    return new SignalState.Fresh<>(new LoadReading(l), AGE);
  }

  static SignalState<LagReading> lag(long total) {
    return new SignalState.Fresh<>(lagReading(total, false), AGE);
  }

  static LagReading lagReading(long total, boolean active) {
    return new LagReading(total, total, 3, total > 0 ? 1 : 0, false, active, List.of());
  }

  static SignalState<LegitimacyReading> legit(double score, double unscored) {
    return new SignalState.Fresh<>(
        new LegitimacyReading(score, score < 0.5, List.of(), Map.of(), List.of(), unscored), AGE);
  }

  static <R> SignalState<R> off() {
    return new SignalState.Off<>("not configured");
  }

  static <R> SignalState<R> pending() {
    return new SignalState.Pending<>();
  }

  static <R> SignalState<R> stale() {
    return new SignalState.Stale<>(Optional.of(Duration.ofSeconds(90)), "connect: refused", 12);
  }

  static <R> SignalState<R> failing(SignalState<R> fresh) {
    return new SignalState.Failing<>(fresh.usable().orElseThrow(), Duration.ofSeconds(20), "timeout", 2);
  }

  static final OptionalLong NONE = OptionalLong.empty();

  static OptionalLong last(long v) {
    return OptionalLong.of(v);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // name, policy, load, lag, legit, last | available, state, value, active, clamp, heldPartial, heldUnscored
        new Case("quiet load clamps to min", REPLICAS, load(0.2, 0.2, 0.2, 0.2), off(), off(), NONE,
            true, "fresh", 4, true, "min", false, false),
        new Case("load 5 x 0.7 = 3.5/0.7 -> exactly 5", REPLICAS, load(0.7, 0.7, 0.7, 0.7, 0.7), off(), off(), NONE,
            true, "fresh", 5, true, "none", false, false),
        new Case("load just above 5 rounds up to 6", REPLICAS, load(0.8, 0.8, 0.8, 0.8, 0.8), off(), off(), NONE,
            true, "fresh", 6, true, "none", false, false),
        new Case("overload clamps to max", REPLICAS, load(1, 1, 1, 1, 1, 1), off(), off(), NONE,
            true, "fresh", 6, true, "max", false, false),
        new Case("lag dominates load", REPLICAS, load(0.3, 0.3, 0.3, 0.3), lag(55), off(), NONE,
            true, "fresh", 6, true, "none", false, false),
        new Case("load dominates lag", REPLICAS, load(0.7, 0.7, 0.7, 0.7, 0.7), lag(5), off(), NONE,
            true, "fresh", 5, true, "none", false, false),
        new Case("lag only", REPLICAS, off(), lag(48), off(), NONE,
            true, "fresh", 5, true, "none", false, false),
        new Case("attack discounted by score", REPLICAS, load(1, 1, 1, 1, 1, 1), off(), legit(0.5, 0), NONE,
            true, "fresh", 5, true, "none", false, false),
        new Case("shadow mode ignores score", SHADOW, load(1, 1, 1, 1, 1, 1), off(), legit(0.2, 0), NONE,
            true, "fresh", 6, true, "max", false, false),
        new Case("unscored increase held at last value", REPLICAS, load(0.8, 0.8, 0.8, 0.8, 0.8), off(),
            legit(1.0, 0.5), last(4), true, "fresh", 4, true, "none", false, true),
        new Case("cleared share still raises", REPLICAS, load(1, 1, 1, 1, 1, 1), off(),
            legit(1.0, 0.2), last(4), true, "fresh", 7 - 1, true, "max", false, false),
        new Case("cleared share raises partly", REPLICAS, load(1, 1, 1, 1, 1), off(),
            legit(1.0, 0.3), last(4), true, "fresh", 5, true, "max", false, true),
        new Case("hold off: unscored increase published", NO_HOLD, load(0.8, 0.8, 0.8, 0.8, 0.8), off(),
            legit(1.0, 0.5), last(4), true, "fresh", 6, true, "none", false, false),
        new Case("hold never applies to decreases", REPLICAS, load(0.7, 0.7, 0.7, 0.7, 0.7), off(),
            legit(1.0, 0.9), last(6), true, "fresh", 5, true, "none", false, false),
        new Case("hold needs a last value", REPLICAS, load(0.8, 0.8, 0.8, 0.8, 0.8), off(),
            legit(1.0, 0.5), NONE, true, "fresh", 6, true, "none", false, false),
        new Case("hold not in shadow mode", SHADOW, load(0.8, 0.8, 0.8, 0.8, 0.8), off(),
            legit(1.0, 0.5), last(4), true, "fresh", 6, true, "none", false, false),
        new Case("partial: lag stale never lowers", REPLICAS, load(0.2, 0.2, 0.2, 0.2), stale(), off(), last(6),
            true, "partial", 6, true, "min", true, false),
        new Case("partial: may still raise", REPLICAS, load(1, 1, 1, 1, 1, 1), stale(), off(), last(4),
            true, "partial", 6, true, "max", false, false),
        new Case("partial: failing load keeps last good reading", REPLICAS,
            failing(load(0.7, 0.7, 0.7, 0.7, 0.7)), off(), off(), last(4),
            true, "partial", 5, true, "none", false, false),
        new Case("partial: failing reading lower than last is held", REPLICAS,
            failing(load(0.7, 0.7, 0.7, 0.7)), off(), off(), last(6),
            true, "partial", 6, true, "none", true, false),
        new Case("partial: legitimacy stale fails open and never lowers", REPLICAS,
            load(0.7, 0.7, 0.7, 0.7, 0.7), off(), stale(), last(6),
            true, "partial", 6, true, "none", true, false),
        new Case("fresh data may lower", REPLICAS, load(0.2, 0.2, 0.2, 0.2), lag(0), off(), last(6),
            true, "fresh", 4, true, "min", false, false),
        new Case("all stale: unavailable", REPLICAS, stale(), stale(), legit(1, 0), last(5),
            false, "stale", 0, false, "none", false, false),
        new Case("only configured signal stale: unavailable", REPLICAS, stale(), off(), off(), last(5),
            false, "stale", 0, false, "none", false, false),
        new Case("before first refresh: warming up", REPLICAS, pending(), pending(), pending(), NONE,
            false, "warming-up", 0, false, "none", false, false),
        new Case("load units per mille", LOAD, load(0.7, 0.7, 0.7, 0.7, 0.75), off(), off(), NONE,
            true, "fresh", 3550, true, "none", false, false),
        new Case("load units scored", LOAD, load(1, 1, 1, 1), off(), legit(0.5, 0), NONE,
            true, "fresh", 2000, true, "none", false, false),
        new Case("load units: lag expressed in load units", LOAD, load(0.1), lag(100), off(), NONE,
            true, "fresh", 7000, true, "none", false, false),
        new Case("inactive below activation threshold", ZERO_MIN, load(0.1, 0.1), off(), off(), NONE,
            true, "fresh", 1, false, "none", false, false),
        new Case("active above activation threshold", ZERO_MIN, load(0.3, 0.3), off(), off(), NONE,
            true, "fresh", 1, true, "none", false, false),
        new Case("zero demand with min 0", ZERO_MIN, load(), lag(0), off(), NONE,
            true, "fresh", 0, false, "none", false, false),
        new Case("lag reading active wins over threshold", ZERO_MIN, load(),
            new SignalState.Fresh<>(lagReading(1, true), AGE), off(), NONE,
            true, "fresh", 1, true, "none", false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    DecisionResult r = Decision.decide(c.policy(), new DecisionInput(c.load(), c.lag(), c.legit(), c.last()));
    assertThat(r.available()).as("available; notes %s", r.notes()).isEqualTo(c.available());
    assertThat(r.state()).as("state").isEqualTo(c.state());
    assertThat(r.value()).as("value; %s", r.summary()).isEqualTo(c.value());
    assertThat(r.valueFloat()).as("float value").isEqualTo((double) c.value());
    assertThat(r.active()).as("active").isEqualTo(c.active());
    assertThat(r.clamp()).as("clamp").isEqualTo(c.clamp());
    assertThat(r.heldByPartialData()).as("held by partial data").isEqualTo(c.heldPartial());
    assertThat(r.heldByUnscoredIncrease()).as("held unscored").isEqualTo(c.heldUnscored());
  }

  @Test
  void explainsEveryTerm() {
    DecisionResult r = Decision.decide(REPLICAS,
        new DecisionInput(load(0.7, 0.7, 0.7, 0.7, 0.7), lag(20), legit(0.8, 0), NONE));
    assertThat(r.loadDemand()).isEqualTo(5.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.lagDemand()).isEqualTo(2.0);
    assertThat(r.rawDemand()).isEqualTo(5.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.score()).isEqualTo(0.8);
    assertThat(r.appliedScore()).isEqualTo(0.8);
    assertThat(r.scoredDemand()).isEqualTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.ceil()).isEqualTo(4);
    assertThat(r.target()).isEqualTo(1.0);
    assertThat(r.summary()).contains("publish 4", "s 0.800", "load 5.000", "lag 2.000");
  }

  @Test
  void shadowModeReportsComputedScore() {
    DecisionResult r = Decision.decide(SHADOW, new DecisionInput(load(0.7), off(), legit(0.3, 0), NONE));
    assertThat(r.score()).isEqualTo(0.3);
    assertThat(r.appliedScore()).isEqualTo(1.0);
    assertThat(r.notes()).anyMatch(n -> n.contains("shadow"));
  }

  @Test
  void loadEncodingTargetIsPerMille() {
    assertThat(new MetricEncoding.LoadPerMille(0.7).target()).isEqualTo(700.0);
    assertThat(new MetricEncoding.Replicas().target()).isEqualTo(1.0);
  }

  @Test
  void unavailableNotesNameTheStates() {
    DecisionResult r = Decision.decide(REPLICAS, new DecisionInput(stale(), pending(), off(), NONE));
    assertThat(r.available()).isFalse();
    assertThat(r.state()).isEqualTo("stale");
    assertThat(r.notes().get(0)).contains("load stale", "lag pending");
  }
  /** One refresh of a sequence: what the signals say, and what must be published. */
  record Step(double loadPerInstance, int instances, double score, double unscored, long expected) {}

  private static List<Long> run(DecisionPolicy policy, List<Step> steps) {
    List<Long> published = new ArrayList<>();
    OptionalLong last = NONE;
    for (Step st : steps) {
      double[] l = new double[st.instances()];
      java.util.Arrays.fill(l, st.loadPerInstance());
      DecisionResult r = Decision.decide(policy, new DecisionInput(load(l), off(), legit(st.score(), st.unscored()), last));
      published.add(r.value());
      last = OptionalLong.of(r.value());
    }
    return published;
  }

  /**
   * The race with the first HPA sync (ARCHITECTURE 4.3): 300 req/s legit on 4 replicas of 200 req/s, then
   * a 1,500 req/s attack saturating every instance. The refresh right after the attack starts sees the
   * load before the scorer has judged the new sources (83 % unscored); the next one has judged them
   * (score 0.17). Holding back publishes 4 throughout; without the hold one refresh publishes 6, which
   * the next HPA sync would buy and the scale-down window keep for ~5 minutes.
   */
  @Test
  void attackBeforeScoringIsHeldBackButNotWithoutTheHold() {
    List<Step> attack = List.of(
        new Step(0.375, 4, 1.0, 0.0, 4), // 300 req/s over 4 x 200
        new Step(1.0, 4, 1.0, 0.83, 4), // attack arrives, not judged yet
        new Step(1.0, 4, 0.17, 0.0, 4), // judged: s = 300 / 1800
        new Step(1.0, 4, 0.17, 0.0, 4));
    assertThat(run(REPLICAS, attack)).containsExactly(4L, 4L, 4L, 4L);
    assertThat(run(NO_HOLD, attack)).containsExactly(4L, 6L, 4L, 4L);
  }

  /** A flash crowd of known clients at normal per-client rates (nothing unscored) scales up at once. */
  @Test
  void flashCrowdOfKnownClientsScalesUpAtOnce() {
    List<Step> crowd = List.of(
        new Step(0.375, 4, 1.0, 0.0, 4),
        new Step(0.9, 4, 1.0, 0.0, 6),
        new Step(0.8, 6, 1.0, 0.0, 6));
    assertThat(run(REPLICAS, crowd)).containsExactly(4L, 6L, 6L);
    // a crowd of new clients: held while unjudged, released as soon as the scorer clears them
    List<Step> newCrowd = List.of(
        new Step(0.375, 4, 1.0, 0.0, 4),
        new Step(0.9, 4, 1.0, 0.6, 4),
        new Step(0.9, 4, 1.0, 0.0, 6));
    assertThat(run(REPLICAS, newCrowd)).containsExactly(4L, 4L, 6L);
  }

  /** One refresh with a Kafka backlog: raw (uncapped) lag, load per instance on 4 pods, score. */
  record LagStep(long rawLag, double loadPerInstance, double score) {}

  /** The lag reading KEDA would give with 12 partitions and lagThreshold 10: capped at 120. */
  private static SignalState<LagReading> rawLag(long raw) {
    long capped = Math.min(raw, 120);
    return new SignalState.Fresh<>(new LagReading(capped, raw, 12, raw > 0 ? 12 : 0, capped != raw, raw > 0,
        List.of()), AGE);
  }

  private static List<Long> runLag(DecisionPolicy policy, boolean carryBacklog, List<LagStep> steps) {
    List<Long> published = new ArrayList<>();
    OptionalLong last = NONE;
    SuspectBacklog backlog = SuspectBacklog.NONE;
    for (LagStep st : steps) {
      double[] l = new double[4];
      java.util.Arrays.fill(l, st.loadPerInstance());
      DecisionResult r = Decision.decide(policy, new DecisionInput(load(l), rawLag(st.rawLag()),
          legit(st.score(), 0), last, carryBacklog ? backlog : SuspectBacklog.NONE));
      published.add(r.value());
      last = OptionalLong.of(r.value());
      backlog = r.backlog();
    }
    return published;
  }

  /**
   * Gap "attack backlog scaled for after the attack": a flood at s = 0.2 fills the topic; when it stops
   * the score is back to 1 at once but the queue still holds the attacker's records. With the suspect
   * backlog carried from one decision to the next, the lag term keeps the share of the traffic that
   * built the queue (0.2) while it drains, and nothing is bought. Without it (every decision starting
   * from an empty estimate, as before) the drain publishes 6.
   */
  @Test
  void attackBacklogIsNotScaledForAfterTheAttack() {
    List<LagStep> steps = List.of(
        new LagStep(0, 0.375, 1.0),
        new LagStep(50_000, 1.0, 0.2), // flood: lag grows at s = 0.2
        new LagStep(100_000, 1.0, 0.2),
        new LagStep(90_000, 1.0, 1.0), // attack over: s back to 1, the pods drain the backlog
        new LagStep(60_000, 1.0, 1.0),
        new LagStep(10_000, 1.0, 1.0),
        new LagStep(0, 0.375, 1.0));
    assertThat(runLag(NO_HOLD, true, steps)).containsExactly(4L, 4L, 4L, 4L, 4L, 4L, 4L);
    assertThat(runLag(NO_HOLD, false, steps)).containsExactly(4L, 4L, 4L, 6L, 6L, 6L, 4L);
  }

  /** A backlog built by legitimate traffic (s = 1, a flash crowd) counts in full, during and after. */
  @Test
  void legitimateBacklogCountsInFull() {
    List<LagStep> steps = List.of(
        new LagStep(0, 0.375, 1.0),
        new LagStep(5_000, 1.0, 1.0),
        new LagStep(8_000, 1.0, 1.0),
        new LagStep(4_000, 1.0, 1.0));
    assertThat(runLag(NO_HOLD, true, steps)).containsExactly(4L, 6L, 6L, 6L);
  }

  /** Explain says which share of the queue counts, and the result carries the estimate forward. */
  @Test
  void backlogShareIsExplainedAndCarried() {
    DecisionResult first = Decision.decide(NO_HOLD, new DecisionInput(load(1, 1, 1, 1), rawLag(1_000),
        legit(0.25, 0), NONE, SuspectBacklog.NONE));
    assertThat(first.backlog().suspect()).isEqualTo(750.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(first.lagLegitShare()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    DecisionResult second = Decision.decide(NO_HOLD, new DecisionInput(load(1, 1, 1, 1), rawLag(500),
        legit(1.0, 0), OptionalLong.of(first.value()), first.backlog()));
    assertThat(second.backlog().lag()).isEqualTo(500);
    assertThat(second.backlog().suspect()).isEqualTo(375.0, org.assertj.core.data.Offset.offset(1e-9));
    // lag term 0.25 x 12 = 3; load term min(1, 0.25) x 4 / 0.7 = 1.43 -> min replicas
    assertThat(second.scoredDemand()).isEqualTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(second.notes()).anyMatch(n -> n.contains("backlog") && n.contains("0.250"));
    assertThat(second.summary()).contains("backlog legit share 0.250");
  }

  @Test
  void suspectBacklogGrowsWithLowScoreAndDrainsInProportion() {
    SuspectBacklog b = SuspectBacklog.NONE.advance(100, 0.5);
    assertThat(b.suspect()).isEqualTo(50.0);
    b = b.advance(300, 1.0); // legitimate growth adds nothing suspect
    assertThat(b.suspect()).isEqualTo(50.0);
    assertThat(b.legitShare()).isEqualTo(1 - 50.0 / 300, org.assertj.core.data.Offset.offset(1e-9));
    b = b.advance(150, 0.0); // draining keeps the share
    assertThat(b.suspect()).isEqualTo(25.0, org.assertj.core.data.Offset.offset(1e-9));
    b = b.advance(0, 1.0);
    assertThat(b.suspect()).isZero();
    assertThat(b.legitShare()).isEqualTo(1.0);
    assertThat(new SuspectBacklog(10, 99).suspect()).isEqualTo(10.0); // never more than the lag
  }

  /** One refresh 5 s apart on 4 saturated pods: raw lag and committed offsets (12 partitions, cap 120). */
  record ServedStep(long rawLag, long committed, double score) {}

  private static List<Long> runServed(List<ServedStep> steps) {
    List<Long> published = new ArrayList<>();
    OptionalLong last = NONE;
    SuspectBacklog backlog = SuspectBacklog.NONE;
    for (ServedStep st : steps) {
      long capped = Math.min(st.rawLag(), 120);
      SignalState<LagReading> lag = new SignalState.Fresh<>(new LagReading(capped, st.rawLag(), 12,
          st.rawLag() > 0 ? 12 : 0, capped != st.rawLag(), st.rawLag() > 0, List.of(), st.committed()), AGE);
      DecisionResult r = Decision.decide(NO_HOLD, new DecisionInput(load(1, 1, 1, 1), lag,
          legit(st.score(), 0), last, backlog));
      published.add(r.value());
      last = OptionalLong.of(r.value());
      backlog = r.backlog();
    }
    return published;
  }

  /**
   * Bots saturate the 4 pods (800 req/s): 826 req/s arrive, 300 of them legitimate (s = 0.36), so the
   * queue grows by 130 records per refresh. The legitimate traffic alone would fit: the backlog is the
   * suspect traffic's, and the lag term buys nothing (b × D_lag = 0.36 × 12 = 4.4 would ask for a fifth
   * replica). The same pods under a legitimate demand above capacity (s = 0.5 of 2000 req/s) still
   * scale to the maximum.
   */
  @Test
  void backlogOfLegitimateRecordsStuckBehindSaturatingBotsBuysNothing() {
    List<ServedStep> bots = new ArrayList<>();
    List<ServedStep> crowd = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      bots.add(new ServedStep(130L * i, 4000L * i, 0.36));
      crowd.add(new ServedStep(6000L * i, 4000L * i, 0.5));
    }
    assertThat(runServed(bots)).containsOnly(4L);
    assertThat(runServed(crowd)).endsWith(6L, 6L, 6L);
    // without committed offsets the estimate cannot tell: the legitimate share of the lag counts
    List<ServedStep> unknown = bots.stream().map(b -> new ServedStep(b.rawLag(), -1, b.score())).toList();
    assertThat(runServed(unknown)).endsWith(5L);
  }

  @Test
  void legitimateQueueGrowsByLegitimateArrivalsBeyondWhatWasServed() {
    SuspectBacklog b = SuspectBacklog.NONE.advance(0, 1_000, 1.0);
    b = b.advance(500, 2_000, 0.5); // 1500 arrived, 750 legitimate, 1000 served: nothing legitimate queues
    assertThat(b.legitAlone()).isZero();
    assertThat(b.suspect()).isEqualTo(250.0);
    b = b.advance(2_500, 3_000, 0.8); // 3000 arrived, 2400 legitimate, 1000 served
    assertThat(b.legitAlone()).isEqualTo(1_400.0, org.assertj.core.data.Offset.offset(1e-9));
    b = b.advance(1_000, 5_500, 1.0); // 1000 arrived, 2500 served: the legitimate queue drains first
    assertThat(b.legitAlone()).isZero();
    b = b.advance(400, -1, 1.0); // offsets unknown: the legitimate share of the lag
    assertThat(b.legitAlone()).isEqualTo(400 - b.suspect(), org.assertj.core.data.Offset.offset(1e-9));
  }
}
