package dev.legitscaler.scaler.legitimacy.scoring;

import static dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.BASE_CLIENTS;
import static dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.BASE_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Population;
import dev.legitscaler.scaler.legitimacy.scoring.SyntheticTraffic.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven scenarios on the pure scorer. Base traffic: 3000 regular clients at 0.1 req/s plus 10
 * one-off visitors per second (~310 req/s). Events start at {@link #EVENT_START}.
 */
class ScorerScenarioTest {
  static final int EVENT_START = 300;

  /**
   * @param attackFrom first second of attack traffic (-1: no attack)
   * @param attackTo first second after the attack
   * @param expectAttack whether an attack must be declared
   * @param mustRaise reasons that must be raised at least once while the event lasts
   * @param scoreBand [lo, hi] of s once the attack is detected (ignored without attack)
   */
  record Scenario(String name, List<Population> populations, int seconds, int attackFrom, int attackTo,
      boolean expectAttack, Set<Reason> mustRaise, double scoreLo, double scoreHi) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Population> with(int seconds, Population... extra) {
    List<Population> p = new ArrayList<>(SyntheticTraffic.steady(seconds));
    p.addAll(List.of(extra));
    return p;
  }

  /** A second population shape: fewer, busier clients (300 at 1 req/s) plus 5 one-off visitors per second. */
  static List<Population> busy(int seconds, Population... extra) {
    List<Population> p = new ArrayList<>(List.of(Population.legit("api-", 300, 1.0, 0, seconds),
        Population.churn("visitor-", 5, 0, seconds)));
    p.addAll(List.of(extra));
    return p;
  }

  static List<Scenario> scenarios() {
    int end = 600;
    int len = 780;
    return List.of(
        new Scenario("steady", SyntheticTraffic.steady(len), len, -1, -1, false, Set.of(), 0, 1),
        new Scenario("flash3x", with(len, Population.legit("crowd-", 2 * BASE_CLIENTS, BASE_RATE, EVENT_START, end)),
            len, -1, -1, false, Set.of(Reason.FLASH_CROWD, Reason.RATE_SURGE), 0, 1),
        new Scenario("flash5x", with(len, Population.legit("crowd-", 4 * BASE_CLIENTS, BASE_RATE, EVENT_START, end)),
            len, -1, -1, false, Set.of(Reason.FLASH_CROWD, Reason.RATE_SURGE), 0, 1),
        // the same regular clients, three times as busy: known clients returning, not an attack
        new Scenario("knownBusier3x", with(len, Population.legit("user-", BASE_CLIENTS, 2 * BASE_RATE, EVENT_START, end)),
            len, -1, -1, false, Set.of(Reason.FLASH_CROWD, Reason.RATE_SURGE), 0, 1),
        new Scenario("heavy", with(len, Population.attack("atk-", 5, 124, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.HEAVY_HITTERS, Reason.LOW_ENTROPY, Reason.RATE_SURGE), 0.2, 0.5),
        new Scenario("botnet3x", with(len, Population.attack("bot-", 2000, 0.31, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.FAST_NEW_CLIENTS, Reason.NEW_CLIENTS), 0.2, 0.5),
        new Scenario("botnet5x", with(len, Population.attack("bot-", 5000, 0.25, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.FAST_NEW_CLIENTS, Reason.NEW_CLIENTS), 0.1, 0.35),
        // slow bots: new sources each under 2x the regular clients' rate, a fifth of them sending junk; the
        // known clients stay at their baseline, so the growth carried by never-seen clients is suspect
        new Scenario("slowBotnet", with(len, Population.attack("bot-", 6000, 0.19, EVENT_START, end),
            Population.invalidFlood("junkbot-", 1500, 0.19, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.NEW_CLIENTS, Reason.KNOWN_CLIENTS_FLAT), 0.1, 0.35),
        new Scenario("pulsing", with(len, Population.attack("atk-", 5, 124, EVENT_START, end).pulsing(10, 40)),
            len, EVENT_START, end, true, Set.of(Reason.HEAVY_HITTERS), 0.0, 1.0),
        new Scenario("invalid", with(len, Population.invalidFlood("junk-", 1000, 0.62, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.INVALID_REQUESTS), 0.2, 0.5),
        new Scenario("attackInFlash", with(900,
            Population.legit("crowd-", 2 * BASE_CLIENTS, BASE_RATE, EVENT_START, 800),
            Population.attack("atk-", 5, 200, 450, 650)),
            900, 450, 650, true, Set.of(Reason.HEAVY_HITTERS), 0.35, 0.65),
        new Scenario("busy-flash5x", busy(len, Population.legit("crowd-", 1200, 1.0, EVENT_START, end)),
            len, -1, -1, false, Set.of(Reason.FLASH_CROWD), 0, 1),
        new Scenario("busy-heavy", busy(len, Population.attack("atk-", 3, 200, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.HEAVY_HITTERS), 0.2, 0.5),
        new Scenario("busy-botnet3x", busy(len, Population.attack("bot-", 200, 3.0, EVENT_START, end)),
            len, EVENT_START, end, true, Set.of(Reason.FAST_NEW_CLIENTS), 0.2, 0.5));
  }

  static Stream<Scenario> table() {
    return scenarios().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void scenario(Scenario sc) {
    List<Sample> samples = SyntheticTraffic.run(new TrafficScorer(), sc.populations(), sc.seconds(), 42);
    List<Sample> settled = samples.stream().filter(s -> s.second() >= 120).toList();

    // never a false alarm outside the attack (attack traffic may linger one window after it stops)
    for (Sample s : settled) {
      boolean attackTraffic = sc.attackFrom() >= 0 && s.second() > sc.attackFrom() && s.second() <= sc.attackTo() + 15;
      if (!attackTraffic) {
        assertThat(s.reading().attack()).as("%s t=%d reasons=%s", sc, s.second(), s.reading().reasons()).isFalse();
        assertThat(s.reading().score()).as("%s t=%d", sc, s.second()).isEqualTo(1.0);
      }
    }
    // the decision is never made to trust attack traffic: trusted share <= true legitimate share + slack
    for (Sample s : settled) {
      assertThat(s.trusted()).as("%s t=%d trusted vs truth %.3f, %s", sc, s.second(), s.trueLegitShare(),
          s.reading()).isLessThanOrEqualTo(s.trueLegitShare() + 0.12);
    }
    Set<String> raised = new java.util.HashSet<>();
    samples.stream().filter(s -> s.second() > EVENT_START).forEach(s -> raised.addAll(s.reading().reasons()));
    assertThat(raised).as(sc.name()).containsAll(sc.mustRaise().stream().map(Reason::name).toList());

    if (!sc.expectAttack()) {
      if (sc.name().startsWith("flash")) {
        long low = settled.stream().filter(s -> s.reading().score() < 0.9).count();
        assertThat(low).as("windows with s < 0.9").isLessThanOrEqualTo(settled.size() / 100);
        // the price of holding back unjudged traffic: newcomers are trusted after their probation
        settled.stream().filter(s -> s.second() >= EVENT_START + 50 && s.second() <= 600).forEach(s ->
            assertThat(s.reading().unscoredShare()).as("%s t=%d unscored", sc, s.second()).isLessThan(0.5));
      }
      return;
    }
    // detection within 30 s of the attack start
    Sample detected = settled.stream().filter(s -> s.second() > sc.attackFrom() && s.reading().attack())
        .findFirst().orElseThrow();
    assertThat(detected.second() - sc.attackFrom()).as("detection delay").isLessThanOrEqualTo(30);
    // recovery to s >= 0.9 within 60 s of the attack end, and it stays there
    samples.stream().filter(s -> s.second() >= sc.attackTo() + 60).forEach(s -> {
      assertThat(s.reading().score()).as("%s t=%d after the attack", sc, s.second()).isGreaterThanOrEqualTo(0.9);
      assertThat(s.reading().attack()).isFalse();
    });
    // while a steady attack runs (after detection and a full window), s tracks the legitimate share
    if (!sc.name().equals("pulsing")) {
      for (Sample s : settled) {
        if (s.second() >= detected.second() + 10 && s.second() <= sc.attackTo()) {
          assertThat(s.reading().attack()).as("%s t=%d still declared", sc, s.second()).isTrue();
          assertThat(s.reading().score()).as("%s t=%d truth %.3f", sc, s.second(), s.trueLegitShare())
              .isBetween(sc.scoreLo(), sc.scoreHi());
          assertThat(s.reading().topFlagged()).isNotEmpty();
        }
        // the legitimate part gets its replicas: s x demand covers the legitimate demand within 60 s
        if (s.second() >= sc.attackFrom() + 60 && s.second() <= sc.attackTo()) {
          assertThat(s.reading().score() * s.totalRate()).as("%s t=%d legitimate demand", sc, s.second())
              .isGreaterThanOrEqualTo(0.85 * s.legitRate());
        }
      }
    }
  }
}
