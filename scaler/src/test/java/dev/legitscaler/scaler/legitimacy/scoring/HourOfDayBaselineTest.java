package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hour-of-day baseline: its arithmetic, and two simulated days through the scorer. */
class HourOfDayBaselineTest {
  private static final long HOUR = 3_600_000L;

  record SlotCase(long millis, int slot, long day) {}

  static Stream<SlotCase> slots() {
    return Stream.of(new SlotCase(0, 0, 0), new SlotCase(HOUR - 1, 0, 0), new SlotCase(HOUR, 1, 0),
        new SlotCase(23 * HOUR + 59_999, 23, 0), new SlotCase(24 * HOUR, 0, 1), new SlotCase(50 * HOUR, 2, 2),
        new SlotCase(-1, 23, -1));
  }

  @ParameterizedTest
  @MethodSource("slots")
  void slotAndDayOfATimestamp(SlotCase c) {
    assertThat(HourOfDayBaseline.slot(c.millis())).isEqualTo(c.slot());
    assertThat(HourOfDayBaseline.day(c.millis())).isEqualTo(c.day());
  }

  @Test
  void aSlotCountsOnlyWithHalfAnHourOfHistoryFromAnEarlierDay() {
    HourOfDayBaseline h = new HourOfDayBaseline(5_000);
    long threeAm = 3 * HOUR;
    for (int i = 0; i < 359; i++) {
      h.learn(threeAm + i * 5_000L, HourOfDayBaseline.Surge.NONE, 100, 1);
    }
    assertThat(h.ready(threeAm + 24 * HOUR)).as("359 windows").isFalse();
    h.learn(threeAm + 359 * 5_000L, HourOfDayBaseline.Surge.NONE, 100, 1);
    assertThat(h.ready(threeAm + 1_900_000)).as("same day").isFalse();
    assertThat(h.ready(threeAm + 24 * HOUR)).isTrue();
    assertThat(h.ready(threeAm + 25 * HOUR)).as("another hour").isFalse();
    assertThat(h.historyDays(threeAm + 48 * HOUR)).isEqualTo(2);
    assertThat(h.totalPerWindow(threeAm + 24 * HOUR)).isEqualTo(100.0);
  }

  record LearnCase(HourOfDayBaseline.Surge surge, double expectedRise) {}

  /** After 10 windows at 100, one at 1,100: how far the slot moves. */
  static Stream<LearnCase> learning() {
    double alpha = 1 - Math.pow(0.5, 1 / (HourOfDayBaseline.HALF_LIFE_DAYS * 720));
    return Stream.of(new LearnCase(HourOfDayBaseline.Surge.NONE, 1_000 / 11.0),
        new LearnCase(HourOfDayBaseline.Surge.SHORT, 100 / 11.0),
        new LearnCase(HourOfDayBaseline.Surge.HOUR_ONLY, 1_000 * alpha));
  }

  @ParameterizedTest
  @MethodSource("learning")
  void aSurgingWindowTeachesLess(LearnCase c) {
    HourOfDayBaseline h = new HourOfDayBaseline(5_000);
    for (int i = 0; i < 10; i++) {
      h.learn(i * 5_000L, HourOfDayBaseline.Surge.NONE, 100, 1);
    }
    h.learn(50_000, c.surge(), 1_100, 1);
    assertThat(h.totalPerWindow(0) - 100).isEqualTo(c.expectedRise(), org.assertj.core.data.Offset.offset(1e-9));
  }

  /**
   * Two days of a population whose rate swings +-50 % over the day (30 req/s on average), optionally
   * with a ramp of never-seen clients on the second day (02:00 to 04:00, 0 to 60 req/s) slow enough
   * that the 10-minute baseline follows it; readings of the second day until {@code endHour}.
   */
  private static List<LegitimacyReading> twoDays(boolean ramp, int endHour) {
    TrafficScorer scorer = new TrafficScorer(ScorerParameters.defaults(), DimensionParameters.none());
    SplittableRandom rnd = new SplittableRandom(24);
    List<LegitimacyReading> day2 = new ArrayList<>();
    long oneShot = 0;
    int rampFrom = 26 * 3600;
    int rampTo = 28 * 3600;
    for (int t = 0; t < endHour * 3600; t++) {
      double legit = 30 * (1 + 0.5 * Math.sin(2 * Math.PI * t / 86_400.0));
      int n = SyntheticTraffic.poisson(rnd, legit);
      for (int i = 0; i < n; i++) {
        scorer.observe("user-" + rnd.nextInt(3000), t * 1000L + rnd.nextInt(1000), true);
      }
      int visitors = SyntheticTraffic.poisson(rnd, 0.5);
      for (int i = 0; i < visitors; i++) {
        scorer.observe("visitor-" + (oneShot++), t * 1000L + rnd.nextInt(1000), true);
      }
      if (ramp && t >= rampFrom && t < rampTo) {
        double r = 60.0 * (t - rampFrom) / (rampTo - rampFrom);
        int bots = (int) Math.max(1, r / 0.01);
        int m = SyntheticTraffic.poisson(rnd, r);
        for (int i = 0; i < m; i++) {
          scorer.observe("ramp-" + rnd.nextInt(bots), t * 1000L + rnd.nextInt(1000), true);
        }
      }
      if ((t + 1) % 5 == 0 && t >= 24 * 3600) {
        day2.add(scorer.score((t + 1) * 1000L));
      }
    }
    return day2;
  }

  @Test
  void aDiurnalSwingIsNormalForItsHourOnTheSecondDay() {
    List<LegitimacyReading> day2 = twoDays(false, 48);
    assertThat(day2).allSatisfy(r -> {
      assertThat(r.score()).isEqualTo(1.0);
      assertThat(r.reasons()).doesNotContain(Reason.RATE_SURGE.name());
    });
    long judged = day2.stream().filter(r -> r.signals().getOrDefault("hour_baseline_ready", 0.0) == 1.0).count();
    assertThat(judged).as("windows judged against the hour's profile").isGreaterThan(day2.size() * 9 / 10);
    assertThat(day2).filteredOn(r -> r.signals().containsKey("hour_growth"))
        .allSatisfy(r -> assertThat(r.signals().get("hour_growth")).isBetween(0.7, 1.4));
  }

  @Test
  void aSlowRampBeyondTheUsualForItsHourIsASurge() {
    List<LegitimacyReading> day2 = twoDays(true, 29);
    // the 10-minute baseline follows the ramp; the hour's profile does not
    List<LegitimacyReading> byHourOnly = day2.stream()
        .filter(r -> r.reasons().contains(Reason.RATE_SURGE.name()) && r.signals().get("growth") < 1.5)
        .toList();
    assertThat(byHourOnly).isNotEmpty()
        .allSatisfy(r -> assertThat(r.signals().get("hour_growth")).isGreaterThanOrEqualTo(1.5));
    // it fires once the ramp passes half the usual traffic of the hour, and holds while the ramp lasts
    long rampWindows = day2.stream().filter(r -> r.signals().getOrDefault("hour_growth", 0.0) >= 1.5).count();
    assertThat(rampWindows).isGreaterThan(600);
  }
}
