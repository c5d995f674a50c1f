package dev.legitscaler.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ScenarioLoaderTest {

  static final List<String> BUILT_IN = ScenarioLoader.BUILT_IN;

  private final ScenarioLoader loader = new ScenarioLoader();

  private static final String VALID = """
      name: tiny
      seed: 7
      duration: 2m
      legitimate:
        rate: 100
        activeClients: 50
        phases:
          - {kind: steady, duration: 1m}
      attacks:
        - name: flood
          start: 30s
          end: 90s
          sources: 2
          ratePerSource: 50
      """;

  @ParameterizedTest
  @FieldSource("BUILT_IN")
  void everyBuiltInScenarioParsesAndValidatesFromTheJarAndFromItsFile(String name) {
    Scenario bundled = loader.loadBuiltIn(name);
    Scenario file = loader.load(Path.of("scenarios", name + ".yaml"));

    assertThat(bundled).isEqualTo(file);
    assertThat(bundled.name()).isEqualTo(name);
    assertThat(bundled.legitimate().phases()).isNotEmpty();
    assertThat(bundled.expectationsOrDefault().replicas()).isEqualTo(new Expectations.ReplicaBounds(4, 6));
  }

  @Test
  void theBuiltInListIsExactlyTheScenarioFolder() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
      List<String> names = files.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", ""))
          .sorted().collect(Collectors.toList());
      assertThat(names).containsExactlyInAnyOrderElementsOf(BUILT_IN);
    }
  }

  @Test
  void theDemoLastsAboutEightMinutesAtItsTimeScale() {
    // time scale 3: what this 2-core machine can host (demo.yaml); 24 scenario minutes
    Scenario demo = loader.loadBuiltIn("demo");
    assertThat(demo.wallDuration()).isBetween(Duration.ofMinutes(7), Duration.ofMinutes(9));
    assertThat(demo.attacks()).hasSize(1);
    assertThat(demo.legitimate().phases()).anyMatch(p -> p instanceof Phase.FlashCrowd fc && fc.peak() == 3.0);
  }

  @Test
  void aValidFileBindsEveryFieldWithDefaults() {
    Scenario s = loader.parse("tiny.yaml", VALID);
    assertThat(s.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.timeScaleOrDefault()).isEqualTo(1.0);
    assertThat(s.scaledObjectOrDefault()).isEqualTo("manifests/examples/scaledobject.yaml");
    assertThat(s.attacks().get(0).patternOrDefault()).isInstanceOf(AttackPattern.Constant.class);
    assertThat(s.attacks().get(0).identityOrDefault()).isEqualTo(SourceIdentity.NEW);
    assertThat(s.legitimate().knownClientsOrDefault()).isEqualTo(50);
  }

  @Test
  void anUnknownKeyNamesItsLineAndTheAcceptedKeys() {
    String yaml = VALID.replace("  rate: 100\n", "  rate: 100\n  rat: 3\n");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith("bad.yaml:6:")
        .hasMessageContaining("unknown key 'rat'")
        .hasMessageContaining("accepted keys:")
        .hasMessageContaining("activeClients");
  }

  @Test
  void aWrongTypeNamesItsLineAndTheAcceptedForm() {
    String yaml = VALID.replace("rate: 100", "rate: lots");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:5:")
        .hasMessageContaining("legitimate.rate")
        .hasMessageContaining("accepted: a number");
  }

  @Test
  void aListWhereAMapIsExpectedIsAWrongType() {
    String yaml = VALID.replace("  activeClients: 50\n", "  activeClients: [50]\n");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:6:")
        .hasMessageContaining("legitimate.activeClients")
        .hasMessageContaining("an integer");
  }

  @Test
  void aMalformedDurationNamesTheAcceptedForm() {
    String yaml = VALID.replace("duration: 2m", "duration: two minutes");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:3:")
        .hasMessageContaining("'two minutes'")
        .hasMessageContaining("90s, 5m, 1h30m");
  }

  @Test
  void anEndBeforeItsStartPointsAtTheEndLine() {
    String yaml = VALID.replace("end: 90s", "end: 20s");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessage("bad.yaml:12:5: attacks[0].end: end (20s) must be after start (30s); accepted: a duration "
            + "greater than start");
  }

  @Test
  void aNegativeRateIsRejectedWithItsLine() {
    String yaml = VALID.replace("ratePerSource: 50", "ratePerSource: -5");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:14:5: attacks[0].ratePerSource: must be > 0")
        .hasMessageContaining("accepted: requests per second per source");
  }

  @Test
  void anUnknownPhaseKindListsTheKinds() {
    String yaml = VALID.replace("kind: steady", "kind: surge");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:8:")
        .hasMessageContaining("unknown kind 'surge'")
        .hasMessageContaining("steady | ramp | step | flashCrowd");
  }

  @Test
  void aPhaseWithoutKindListsTheKinds() {
    String yaml = VALID.replace("kind: steady, ", "");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:8:")
        .hasMessageContaining("missing kind")
        .hasMessageContaining("steady | ramp | step | flashCrowd");
  }

  @Test
  void anUnknownEnumValueListsTheAcceptedValues() {
    String yaml = VALID.replace("    ratePerSource: 50\n", "    ratePerSource: 50\n    identity: spoofed\n");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:15:")
        .hasMessageContaining("attacks[0].identity")
        .hasMessageContaining("one of new, known");
  }

  @Test
  void aMissingRequiredFieldIsReportedAtItsParent() {
    String yaml = VALID.replace("  activeClients: 50\n", "");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageStartingWith("bad.yaml:4:1: legitimate.activeClients: is required");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String yaml = VALID.replace("end: 90s", "end: 20s").replace("rate: 100", "rate: -1")
        .replace("duration: 1m", "duration: 5m");
    ScenarioException e = (ScenarioException) org.junit.jupiter.api.Assertions.assertThrows(ScenarioException.class,
        () -> loader.parse("bad.yaml", yaml));
    assertThat(e.problems()).hasSize(3);
    assertThat(e.problems()).anyMatch(p -> p.startsWith("bad.yaml:5:3: legitimate.rate"));
    assertThat(e.problems()).anyMatch(p -> p.contains("legitimate.phases: phases last 5m, longer than the scenario"));
  }

  @Test
  void invalidYamlSyntaxIsReportedWithItsLocation() {
    assertThatThrownBy(() -> loader.parse("bad.yaml", "name: x\nseed: 3: 4\n"))
        .hasMessageStartingWith("bad.yaml:2:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void aMissingFileListsTheBuiltInScenarios(@TempDir Path dir) {
    assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml").toString()))
        .hasMessageContaining("no such file")
        .hasMessageContaining("flash-crowd-3x");
  }

  @Test
  void aBuiltInNameLoadsTheBundledScenario() {
    assertThat(loader.load("botnet").attacks().get(0).sources()).isEqualTo(3000);
  }

  private static final String PROFILED = VALID.replace("""
          ratePerSource: 50
      """, """
          ratePerSource: 50
          rampUpForm: join
          profile:
            networks: {prefixes: 20, family: ipv6}
            userAgents: {size: 1, values: own}
            timing: {kind: periodic, jitter: 0.2}
            payload: {kind: replayed, set: 16}
      """).replace("""
        activeClients: 50
      """, """
        activeClients: 50
        profile:
          networks: {prefixes: 300, concentration: 0.5}
          userAgents: {size: 20}
          paths: {size: 5, concentration: 0}
          tlsFingerprints: {size: 8}
      """);

  @Test
  void profilesBindWithTheirDefaults() {
    Scenario s = loader.parse("p.yaml", PROFILED);
    Attack a = s.attacks().get(0);
    assertThat(a.rampUpFormOrDefault()).isEqualTo(RampUpForm.JOIN);
    assertThat(a.profile().networks().familyOrDefault()).isEqualTo(NetworkPool.AddressFamily.IPV6);
    assertThat(a.profile().networks().valuesOrDefault()).isEqualTo(PoolValues.OWN);
    assertThat(a.profile().userAgents().valuesOrDefault()).isEqualTo(PoolValues.OWN);
    assertThat(a.profile().timing()).isEqualTo(new Timing.Periodic(0.2));
    assertThat(a.profile().payload()).isEqualTo(new PayloadShape.Replayed(16));
    assertThat(s.legitimate().profile().userAgents().concentrationOrDefault()).isEqualTo(1.0);
    assertThat(s.legitimate().profile().payloadOrDefault()).isEqualTo(new PayloadShape.Reference());
    assertThat(VALID).doesNotContain("profile");
    assertThat(loader.parse("v.yaml", VALID).attacks().get(0).rampUpFormOrDefault()).isEqualTo(RampUpForm.RATE);
  }

  @Test
  void periodicLegitimateTimingIsRejectedWithTheAcceptedForm() {
    String yaml = PROFILED.replace("tlsFingerprints: {size: 8}", "tlsFingerprints: {size: 8}\n    timing: {kind: periodic}");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageContaining("legitimate.profile.timing: periodic timing is for attacks only")
        .hasMessageContaining("accepted: kind: poisson");
  }

  @Test
  void badProfileValuesNameTheirKeyValueAndForm() {
    String yaml = PROFILED.replace("prefixes: 20,", "prefixes: 0,").replace("set: 16", "set: 0")
        .replace("jitter: 0.2", "jitter: 3").replace("paths: {size: 5, concentration: 0}",
            "paths: {size: 5, concentration: 9}");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageContaining("attacks[0].profile.networks.prefixes: out of range, was 0; accepted: an integer from 1")
        .hasMessageContaining("attacks[0].profile.payload.set: out of range, was 0")
        .hasMessageContaining("attacks[0].profile.timing.jitter: must be from 0 to 1, was 3.0")
        .hasMessageContaining("legitimate.profile.paths.concentration: must be from 0 to 5, was 9.0");
  }

  @Test
  void anUnknownPayloadKindListsTheKinds() {
    String yaml = PROFILED.replace("kind: replayed, set: 16", "kind: garbage");
    assertThatThrownBy(() -> loader.parse("bad.yaml", yaml))
        .hasMessageContaining("unknown kind 'garbage'")
        .hasMessageContaining("reference | shifted | replayed | random");
  }
}
