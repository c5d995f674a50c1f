package dev.legitscaler.loadtest.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TrafficModelTest {

  private final ScenarioLoader loader = new ScenarioLoader();

  private static Duration s(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  private Scenario scenario(String yaml) {
    return loader.parse("test.yaml", yaml);
  }

  private static final String EVEN_STEADY = """
      name: even
      seed: 3
      duration: 5m
      legitimate:
        rate: 400
        activeClients: 200
        arrivals: even
        invalidShare: 0.1
        phases:
          - {kind: steady, name: one, duration: 1m}
          - {kind: step, name: two, duration: 1m, to: 2.5}
          - {kind: ramp, name: three, duration: 2m, to: 0.5}
      """;

  @Test
  void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
    Scenario botnet = loader.loadBuiltIn("botnet");
    List<TrafficEvent> a = TrafficModel.of(botnet).eventsBetween(s(299), s(306)).collect(Collectors.toList());
    List<TrafficEvent> b = TrafficModel.of(botnet).eventsBetween(s(299), s(306)).collect(Collectors.toList());
    List<TrafficEvent> c = TrafficModel.of(botnet, 99, 1.0).eventsBetween(s(299), s(306)).collect(Collectors.toList());

    assertThat(a).isNotEmpty().isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
  }

  @Test
  void anyChunkingOfTimeYieldsTheSameEventsInTimeOrder() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("attack-during-flash-crowd"));
    List<TrafficEvent> whole = model.eventsBetween(s(400), s(412)).collect(Collectors.toList());
    List<TrafficEvent> chunked = Stream.of(
            model.eventsBetween(s(400), s(400.037)), model.eventsBetween(s(400.037), s(407.3)),
            model.eventsBetween(s(407.3), s(412)))
        .flatMap(x -> x).collect(Collectors.toList());

    assertThat(chunked).isEqualTo(whole);
    for (int i = 1; i < whole.size(); i++) {
      assertThat(whole.get(i).atNanos()).isGreaterThanOrEqualTo(whole.get(i - 1).atNanos());
    }
    assertThat(whole).allMatch(e -> e.atNanos() >= s(400).toNanos() && e.atNanos() < s(412).toNanos());
    assertThat(whole.stream().map(TrafficEvent::eventId).distinct().count()).isEqualTo(whole.size());
  }

  @Test
  void evenArrivalsMatchTheRateInEveryTenSecondWindowAcrossStepsAndRamps() {
    TrafficModel model = TrafficModel.of(scenario(EVEN_STEADY));
    for (int window = 0; window < 30; window++) {
      Duration from = s(window * 10);
      Duration to = s(window * 10 + 10);
      double expected = 0;
      for (int ms = 50; ms < 10_000; ms += 100) {
        expected += model.legitimateRateAt(from.plusMillis(ms)) * 0.1;
      }
      long counted = model.eventsBetween(from, to).count();
      assertThat((double) counted).as("window %d", window).isCloseTo(expected, within(expected * 0.01 + 2));
    }
    assertThat(model.legitimateRateAt(s(30))).isEqualTo(400.0);
    assertThat(model.legitimateRateAt(s(90))).isEqualTo(1000.0);
    assertThat(model.legitimateRateAt(s(180))).isCloseTo(600.0, within(1e-9));
    assertThat(model.phaseAt(s(61))).isEqualTo("two");
    assertThat(model.phaseAt(s(290))).isEqualTo("three");
  }

  @Test
  void poissonArrivalsMatchTheRateWithinSamplingNoise() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("steady"));
    long counted = model.eventsBetween(s(0), s(120)).count();
    double expected = 300 * 120;
    assertThat((double) counted).isCloseTo(expected, within(5 * Math.sqrt(expected)));
  }

  @Test
  void invalidShareAndPhaseNamesAreCarriedByTheEvents() {
    TrafficModel model = TrafficModel.of(scenario(EVEN_STEADY));
    List<TrafficEvent> events = model.eventsBetween(s(50), s(70)).collect(Collectors.toList());
    double invalid = events.stream().filter(e -> !e.valid()).count() / (double) events.size();
    assertThat(invalid).isCloseTo(0.1, within(0.02));
    assertThat(events).anyMatch(e -> e.phase().equals("one")).anyMatch(e -> e.phase().equals("two"));
    assertThat(events).allMatch(e -> e.stream().equals(TrafficEvent.LEGITIMATE) && !e.attack());
  }

  @Test
  void aFlashCrowdIsCarriedByMoreClientsAtNormalRatesHalfOfThemNew() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("flash-crowd-3x"));
    Set<String> known = new HashSet<>();
    for (int i = 0; i < model.knownClientCount(); i++) {
      known.add(model.knownClientId(i));
    }
    Map<String, Integer> before = perClient(model, s(60), s(120));
    Map<String, Integer> during = perClient(model, s(300), s(360));

    int totalBefore = before.values().stream().mapToInt(Integer::intValue).sum();
    int totalDuring = during.values().stream().mapToInt(Integer::intValue).sum();
    assertThat(totalDuring / (double) totalBefore).isCloseTo(3.0, within(0.15));
    assertThat(during.size() / (double) before.size()).isGreaterThan(2.0);
    // mean requests per active client do not grow: the crowd is many clients, not faster ones
    assertThat((totalDuring / (double) during.size()) / (totalBefore / (double) before.size()))
        .isBetween(0.7, 1.3);
    // of the extra traffic, about half comes from never-seen clients
    long fromNew = during.entrySet().stream().filter(e -> !known.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
    double newShareOfTotal = fromNew / (double) totalDuring;
    double expected = (1 * 0.02 + 2 * 0.5) / 3;
    assertThat(newShareOfTotal).isCloseTo(expected, within(0.03));
    assertThat(model.phaseAt(s(300))).isEqualTo("flash-crowd");
  }

  @Test
  void aBotnetSendsItsRateFromItsManyNewSourcesOnlyDuringTheAttack() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("botnet"));
    List<TrafficEvent> before = model.eventsBetween(s(200), s(290)).collect(Collectors.toList());
    List<TrafficEvent> during = model.eventsBetween(s(600), s(660)).filter(TrafficEvent::attack)
        .collect(Collectors.toList());

    assertThat(before).noneMatch(TrafficEvent::attack);
    assertThat((double) during.size()).isCloseTo(1500 * 60, within(5 * Math.sqrt(1500 * 60)));
    assertThat(during).allMatch(e -> e.stream().equals("botnet"));
    Set<String> sources = during.stream().map(TrafficEvent::clientId).collect(Collectors.toSet());
    assertThat(sources.size()).isBetween(2900, 3000);
    double invalid = during.stream().filter(e -> !e.valid()).count() / (double) during.size();
    assertThat(invalid).isCloseTo(0.2, within(0.01));
    assertThat(model.attackRateAt(s(301))).isLessThan(1500 * 0.1);
    assertThat(model.attackRateAt(s(600))).isEqualTo(1500.0);
    assertThat(model.attackRateAt(s(900))).isZero();
  }

  @Test
  void aFewSourceFloodComesFromExactlyItsSources() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("few-source-flood"));
    Map<String, Long> perSource = model.eventsBetween(s(200), s(260)).filter(TrafficEvent::attack)
        .collect(Collectors.groupingBy(TrafficEvent::clientId, Collectors.counting()));
    assertThat(perSource).hasSize(3);
    perSource.values().forEach(n -> assertThat((double) n).isCloseTo(400 * 60, within(5 * Math.sqrt(400 * 60))));
  }

  @Test
  void aPulsingAttackIsSilentBetweenPulses() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("pulsing-attack"));
    // attack starts at 300 s; period 60 s, on for the first 15 s of each period
    long on = model.eventsBetween(s(360), s(375)).filter(TrafficEvent::attack).count();
    long off = model.eventsBetween(s(375), s(420)).filter(TrafficEvent::attack).count();
    assertThat((double) on).isCloseTo(1500 * 15, within(5 * Math.sqrt(1500 * 15)));
    assertThat(off).isZero();
  }

  @Test
  void attackersReusingKnownIdentitiesLookLikeKnownClients() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("attack-during-flash-crowd"));
    Set<String> known = new HashSet<>();
    for (int i = 0; i < model.knownClientCount(); i++) {
      known.add(model.knownClientId(i));
    }
    Set<String> hijacked = model.eventsBetween(s(480), s(540)).filter(e -> e.stream().equals("hijacked-accounts"))
        .map(TrafficEvent::clientId).collect(Collectors.toSet());
    assertThat(hijacked).hasSize(100);
    assertThat(known).containsAll(hijacked);
  }

  @Test
  void hijackedIdentitiesSendFromTheAttacksOwnNetworksWhenItHasThem() {
    TrafficModel model = TrafficModel.of(scenario("""
        name: hijacked-from-own-networks
        seed: 5
        duration: 3m
        legitimate:
          rate: 300
          activeClients: 1000
          knownClients: 3000
          profile:
            networks: {prefixes: 3000, concentration: 0.5}
          phases:
            - {kind: steady, name: steady, duration: 3m}
        attacks:
          - {name: hijacked, start: 1m, end: 2m, sources: 200, ratePerSource: 1.0, identity: known,
             profile: {networks: {prefixes: 20}}}
          - {name: hijacked-in-place, start: 1m, end: 2m, sources: 200, ratePerSource: 1.0, identity: known}
        """));
    Set<String> known = new HashSet<>();
    for (int i = 0; i < model.knownClientCount(); i++) {
      known.add(model.knownClientId(i));
    }
    List<TrafficEvent> events = model.eventsBetween(s(70), s(110)).toList();
    List<TrafficEvent> fromOwn = events.stream().filter(e -> e.stream().equals("hijacked")).toList();
    assertThat(fromOwn).isNotEmpty().allSatisfy(e -> {
      assertThat(known).contains(e.clientId());
      assertThat(e.address()).isNotNull().isNotEqualTo(e.clientId());
    });
    // the attack's 20 /24 networks, none of the population's
    Set<String> prefixes = fromOwn.stream().map(e -> e.address().substring(0, e.address().lastIndexOf('.')))
        .collect(Collectors.toSet());
    assertThat(prefixes).hasSizeLessThanOrEqualTo(20);
    Set<String> populationPrefixes = events.stream().filter(e -> !e.attack())
        .map(e -> e.clientId().substring(0, e.clientId().lastIndexOf('.'))).collect(Collectors.toSet());
    assertThat(prefixes).doesNotContainAnyElementsOf(populationPrefixes);
    // without networks of its own a hijacked identity sends from its usual address
    assertThat(events.stream().filter(e -> e.stream().equals("hijacked-in-place")))
        .isNotEmpty().allSatisfy(e -> assertThat(e.address()).isNull());
    assertThat(events.stream().filter(e -> !e.attack())).allSatisfy(e -> assertThat(e.address()).isNull());
  }

  @Test
  void aRateMultiplierScalesEveryStream() {
    Scenario scenario = scenario(EVEN_STEADY);
    long base = TrafficModel.of(scenario).eventsBetween(s(0), s(30)).count();
    long doubled = TrafficModel.of(scenario, scenario.seedOrDefault(), 2.0).eventsBetween(s(0), s(30)).count();
    assertThat((double) doubled).isCloseTo(2.0 * base, within(base * 0.01));
  }

  @Test
  void aWholeScenarioRunsThroughInSimulatedTimeAndNothingComesAfterItsEnd() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("demo"));
    long all = model.eventsBetween(Duration.ZERO, Duration.ofHours(1)).count();
    double expected = 0;
    for (long ms = 50; ms < model.duration().toMillis(); ms += 100) {
      expected += model.rateAt(Duration.ofMillis(ms)) * 0.1;
    }
    assertThat((double) all).isCloseTo(expected, within(5 * Math.sqrt(expected)));
    assertThat(model.eventsBetween(model.duration(), Duration.ofHours(2)).count()).isZero();
  }

  private static Map<String, Integer> perClient(TrafficModel model, Duration from, Duration to) {
    Map<String, Integer> counts = new HashMap<>();
    model.eventsBetween(from, to).filter(e -> !e.attack()).forEach(e -> counts.merge(e.clientId(), 1, Integer::sum));
    return counts;
  }

  @Test
  void profilesPutNetworksAttributesAndPayloadShapesOnTheEvents() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("mimicry-botnet-shifted-payloads"));
    List<TrafficEvent> events = model.eventsBetween(Duration.ofMinutes(6), Duration.ofMinutes(6).plusSeconds(20)).toList();
    List<TrafficEvent> bots = events.stream().filter(TrafficEvent::attack).toList();
    List<TrafficEvent> legit = events.stream().filter(e -> !e.attack()).toList();
    assertThat(bots).isNotEmpty();
    // mimicry: the bots' user agents are legitimate values; only the payload differs
    Set<String> legitAgents = legit.stream().map(TrafficEvent::userAgent).collect(Collectors.toSet());
    assertThat(bots.stream().filter(e -> legitAgents.contains(e.userAgent())).count()).isGreaterThan(bots.size() * 8L / 10);
    assertThat(bots).allSatisfy(e -> assertThat(e.payload()).isEqualTo(new dev.legitscaler.loadtest.scenario.PayloadShape.Shifted(0.5)));
    assertThat(legit).allSatisfy(e -> {
      assertThat(e.path()).startsWith("/v1/predict/");
      assertThat(e.tlsFingerprint()).hasSize(32);
    });
  }

  @Test
  void fewNetworksMeanFewPrefixesAndJoinRampsTheSources() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("mimicry-botnet-few-networks"));
    Set<String> prefixes = model.eventsBetween(Duration.ofMinutes(7), Duration.ofMinutes(7).plusSeconds(30))
        .filter(TrafficEvent::attack).map(e -> e.clientId().substring(0, e.clientId().lastIndexOf('.')))
        .collect(Collectors.toSet());
    assertThat(prefixes).hasSizeLessThanOrEqualTo(20);
    // join: 3 s into a 30 s ramp about a tenth of the 4000 sources have sent, each at its full rate
    long early = model.eventsBetween(Duration.ofMinutes(5), Duration.ofMinutes(5).plusSeconds(3))
        .filter(TrafficEvent::attack).map(TrafficEvent::clientId).distinct().count();
    assertThat(early).isBetween(100L, 450L);
  }

  @Test
  void periodicSourcesAreRegularAndDeterministic() {
    TrafficModel model = TrafficModel.of(loader.loadBuiltIn("slow-ramp-joining-sources"));
    Map<String, List<Long>> times = new HashMap<>();
    model.eventsBetween(Duration.ofMinutes(16), Duration.ofMinutes(17)).filter(TrafficEvent::attack)
        .forEach(e -> times.computeIfAbsent(e.clientId(), k -> new java.util.ArrayList<>()).add(e.atNanos()));
    // 0.3 req/s: 18 requests a minute, intervals within +-10 % of the period of each other (sources that
    // drew the same address in their /24, as behind a NAT, send twice as often: skip them)
    List<Long> one = times.values().stream().filter(l -> l.size() >= 15 && l.size() <= 20).findFirst().orElseThrow();
    for (int k = 1; k < one.size(); k++) {
      assertThat((one.get(k) - one.get(k - 1)) / 1e9).isBetween(3.33 * 0.85, 3.33 * 1.15);
    }
    List<TrafficEvent> a = model.eventsBetween(Duration.ofMinutes(16), Duration.ofMinutes(16).plusSeconds(5)).toList();
    List<TrafficEvent> b = TrafficModel.of(loader.loadBuiltIn("slow-ramp-joining-sources"))
        .eventsBetween(Duration.ofMinutes(16), Duration.ofMinutes(16).plusSeconds(5)).toList();
    assertThat(a).isEqualTo(b);
  }
}
