package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Population;
import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Determinism, bounded memory and the long steady run. */
class ScorerPropertiesTest {

  @Test
  void sameStreamAndClockGiveTheSameReadings() {
    List<Population> pops = ScorerScenarioTest.with(700,
        Population.attack("bot-", 2000, 0.31, 300, 500),
        Population.legit("crowd-", 3000, 0.1, 350, 600));
    List<LegitimacyReading> a = SyntheticTraffic.run(new TrafficScorer(), pops, 700, 7).stream()
        .map(Sample::reading).toList();
    List<LegitimacyReading> b = SyntheticTraffic.run(new TrafficScorer(), pops, 700, 7).stream()
        .map(Sample::reading).toList();
    assertThat(a).hasSize(140).isEqualTo(b);
    assertThat(a.stream().anyMatch(LegitimacyReading::attack)).isTrue();
  }

  @Test
  void scoringMoreOftenDoesNotChangeTheReadings() {
    // state changes only at bucket boundaries, so extra score() calls between events are harmless
    TrafficScorer quiet = new TrafficScorer();
    TrafficScorer chatty = new TrafficScorer();
    List<LegitimacyReading> q = new ArrayList<>();
    List<LegitimacyReading> c = new ArrayList<>();
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    for (int ms = 0; ms < 400_000; ms += 3) {
      String id = ms > 200_000 && ms < 300_000 && rnd.nextInt(3) == 0 ? "atk-" + rnd.nextInt(3) : "u-" + rnd.nextInt(2000);
      quiet.observe(id, ms, true);
      chatty.observe(id, ms, true);
      if (ms % 999 == 0) {
        chatty.score(ms);
      }
      if (ms % 5001 == 0) {
        q.add(quiet.score(ms));
        c.add(chatty.score(ms));
      }
    }
    assertThat(c).isEqualTo(q);
    assertThat(q.stream().anyMatch(LegitimacyReading::attack)).isTrue();
  }

  @Test
  void millionDistinctClientsPerHourStayWithinTheMemoryBound() {
    TrafficScorer scorer = new TrafficScorer();
    long before = scorer.retainedBytes();
    // 1,000,000 distinct clients over one hour, 3 requests each, plus a regular population
    long hour = 3_600_000L;
    int distinct = 1_000_000;
    for (int i = 0; i < distinct; i++) {
      long t = i * hour / distinct;
      String id = "c" + i;
      scorer.observe(id, t, true);
      scorer.observe(id, t + 1, true);
      scorer.observe(id, t + 2, true);
      scorer.observe("u-" + (i % 3000), t + 3, true);
    }
    LegitimacyReading r = scorer.score(hour);
    assertThat(scorer.recordsObserved()).isEqualTo(4L * distinct);
    // fixed-size structures: nothing grew with the number of clients
    assertThat(scorer.retainedBytes()).isEqualTo(before);
    assertThat(scorer.historySize()).isLessThanOrEqualTo(scorer.parameters().historyCapacity());
    long bound = 64L * 1024 * 1024;
    assertThat(scorer.retainedBytes() + scorer.maxLabelBytes()).isLessThanOrEqualTo(bound);
    assertThat(r.signals().get("distinct_clients")).isBetween(4000.0, 7000.0);
  }

  @Test
  void twoHoursOfSteadyTrafficNeverMoveTheScore() {
    int seconds = 2 * 3600;
    // smaller population (same per-client behaviour) to keep the run short
    List<Population> pops = List.of(
        Population.legit("user-", 1000, 0.1, 0, seconds),
        Population.legit("power-", 20, 1.0, 0, seconds),
        Population.churn("visitor-", 3, 0, seconds));
    List<Sample> samples = SyntheticTraffic.run(new TrafficScorer(), pops, seconds, 11);
    for (Sample s : samples) {
      assertThat(s.reading().attack()).as("t=%d %s", s.second(), s.reading()).isFalse();
      assertThat(s.reading().score()).isEqualTo(1.0);
    }
    // after warm-up, almost nothing is left unjudged: regular clients are cleared
    double meanUnscored = samples.stream().filter(s -> s.second() > 600)
        .mapToDouble(s -> s.reading().unscoredShare()).average().orElseThrow();
    assertThat(meanUnscored).isLessThan(0.1);
    // the power users earned a history and are not flagged any more
    // the power users (10x the median rate) earned a history: flagged only on rare Poisson peaks
    List<Sample> secondHour = samples.stream().filter(s -> s.second() > 3600).toList();
    long flaggedPower = secondHour.stream()
        .filter(s -> s.reading().topFlagged().stream().anyMatch(f -> f.client().startsWith("power-"))).count();
    assertThat(flaggedPower).isLessThanOrEqualTo(secondHour.size() / 20);
  }
}
