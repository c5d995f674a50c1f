package dev.legitscaler.loadtest.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputTest {
  static final String SCENARIO = """
      name: tiny
      seed: 1
      duration: 4m
      timeScale: 10
      legitimate:
        rate: 10
        activeClients: 50
        knownClients: 100
        phases:
          - {kind: steady, name: steady, duration: 4m}
      attacks:
        - {name: bots, start: 2m, end: 3m, sources: 100, ratePerSource: 1, identity: new}
      model: {capacityPerReplica: 5, workerSlots: 2}
      expectations:
        replicas: {min: 4, max: 6}
        alerts:
          - {alert: LegitScalerAttackSuspected, after: 2m, before: 3m}
          - {alert: ModelInstanceSaturated, fires: false}
        attackDetectedWithin: 30s
        recoveredWithin: 30s
      """;

  @TempDir Path dir;

  private static Sample sample(double t, int replicas, double score, double attack, Map<String, String> firing) {
    return new Sample(t, replicas, 4.0, 3.0, 0.0, score, attack, 0.5, 0.4, 0.0, 10.0, null, firing, Set.of(), 0);
  }

  @Test
  void writesOneRowPerScenarioSecondAndChecksTheExpectations() throws Exception {
    Scenario scenario = new ScenarioLoader().parse("tiny.yaml", SCENARIO);
    TrafficModel model = TrafficModel.of(scenario);
    List<Sample> samples = new ArrayList<>();
    for (int t = 0; t < 240; t += 2) {
      boolean attack = t >= 130 && t < 185;
      boolean firing = t >= 150 && t < 190;
      samples.add(sample(t + 0.5, t >= 60 && t < 120 ? 5 : 4, attack ? 0.2 : 1.0, attack ? 1 : 0,
          firing ? Map.of("LegitScalerAttackSuspected", "warning") : Map.of()));
    }
    RunOutput out = new RunOutput(scenario, model, new RunOutput.RunInfo("local", Map.of("scenario", "tiny"), 4, 6, 5, 0.7),
        samples, List.of(new Notification("ddos", "webhook", "LegitScalerAttackSuspected", "firing", 152)),
        Optional.empty(), Optional.empty());

    boolean passed = out.write(dir);

    List<String> csv = Files.readAllLines(dir.resolve("timeseries.csv"));
    assertThat(csv.get(0)).isEqualTo(String.join(",", RunOutput.COLUMNS));
    assertThat(csv).hasSize(241);
    assertThat(csv.get(1)).startsWith("0,steady,");
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.path("mode").asText()).isEqualTo("local");
    assertThat(summary.path("alerts").get(0).path("alert").asText()).isEqualTo("LegitScalerAttackSuspected");
    assertThat(summary.path("alerts").get(0).path("firedAt").asDouble()).isEqualTo(150.5);
    assertThat(summary.path("notifications").get(0).path("channel").asText()).isEqualTo("webhook");
    // attack starts at 120 s, first flagged sample at 130.5 s -> row 131 (rows take the newest sample by t + 1)
    assertThat(summary.path("detectionDelaySeconds").asDouble()).isBetween(9.0, 12.0);
    assertThat(summary.path("recoverySeconds").asDouble()).isBetween(0.0, 6.0);
    // legitimate traffic needs ceil(10 / 3.5) = 3 -> clamp 4: the minute at 5 replicas wastes 1 replica-minute
    assertThat(summary.path("legit").path("wastedReplicaMinutes").asDouble()).isBetween(0.95, 1.05);
    assertThat(passed).isTrue();
    assertThat(summary.path("expectationsPassed").asBoolean()).isTrue();
  }

  @Test
  void anAlertOutsideItsWindowOrAForbiddenOneFails() throws Exception {
    Scenario scenario = new ScenarioLoader().parse("tiny.yaml", SCENARIO);
    List<Sample> samples = new ArrayList<>();
    for (int t = 0; t < 240; t++) {
      samples.add(sample(t, 7, 1.0, 0, t > 200 ? Map.of("ModelInstanceSaturated", "warning") : Map.of()));
    }
    RunOutput out = new RunOutput(scenario, TrafficModel.of(scenario),
        new RunOutput.RunInfo("local", Map.of(), 4, 6, 5, 0.7), samples, List.of(), Optional.empty(), Optional.empty());
    assertThat(out.write(dir)).isFalse();
    assertThat(out.checks()).filteredOn(c -> !c.passed()).extracting(RunOutput.Check::name)
        .contains("replicas", "alert LegitScalerAttackSuspected fires", "alert ModelInstanceSaturated never fires",
            "attack detected");
  }

  @Test
  void theManifestGetsLocalAddressesInMemoryOnly() throws Exception {
    Path manifest = RepoFiles.root().resolve("manifests/examples/scaledobject.yaml");
    String yaml = Files.readString(manifest);
    ScaledObject original = ScaledObjectReader.parse(yaml, "test");
    ScaledObject so = LocalScaledObject.of(original,
        new LocalScaledObject.Addresses("127.0.0.1:1111", "http://127.0.0.1:2222", "127.0.0.1:3333"), 10);
    Map<String, String> md = so.triggers().get(0).metadata();
    assertThat(md).containsEntry("scalerAddress", "127.0.0.1:1111")
        .containsEntry("serverAddress", "http://127.0.0.1:2222")
        .containsEntry("bootstrapServers", "127.0.0.1:3333")
        .containsEntry("legitimacyBucket", "1s")
        .containsEntry("legitimacyClearAfter", "5s")
        .containsEntry("loadQuery", "max by (pod) (ml_model_saturation_ratio{namespace=\"$namespace\"})");
    assertThat(so.behavior()).isEqualTo(original.behavior());
    assertThat(original.triggers().get(0).metadata()).doesNotContainKey("legitimacyBucket");
    assertThat(Files.readString(manifest)).isEqualTo(yaml);
  }

  @Test
  void atTimeScaleOneOrWithItsOwnBucketTheScorerIsLeftAlone() {
    assertThat(LocalScaledObject.scorerTimeScaled(Map.of("legitimacySource", "kafka"), 1)).isEmpty();
    assertThat(LocalScaledObject.scorerTimeScaled(Map.of("legitimacySource", "kafka", "legitimacyBucket", "2s"), 6)).isEmpty();
    assertThat(LocalScaledObject.scorerTimeScaled(Map.of(), 6)).isEmpty();
    assertThat(LocalScaledObject.scorerTimeScaled(Map.of("legitimacySource", "kafka"), 6))
        .containsEntry("legitimacyBucket", "1s").containsEntry("legitimacyClearAfter", "5s");
  }

  @Test
  void theOfflineEvaluationModelsTheScorerWindowsTheLiveScalerGot() throws Exception {
    ScaledObject original = ScaledObjectReader.parse(Files.readString(RepoFiles.root().resolve(
        "manifests/examples/scaledobject.yaml")), "test");
    // time scale 6: the live bucket is round(5 / 6) = 1 s wall = 6 s of scenario time, clearAfter 5 s wall = 30 s
    Map<String, String> md = LocalScaledObject.offlineEquivalent(original, 6).triggers().get(0).metadata();
    assertThat(md).containsEntry("legitimacyBucket", "6000ms").containsEntry("legitimacyClearAfter", "30000ms")
        .containsEntry("scalerAddress", original.triggers().get(0).metadata().get("scalerAddress"));
    assertThat(LocalScaledObject.offlineEquivalent(original, 1).triggers().get(0).metadata())
        .isEqualTo(original.triggers().get(0).metadata());
  }

  /** The naive line is the offline evaluation's (HPA emulation), and the waste bound is a share of its waste. */
  @Test
  void theNaivePolicyComesFromTheOfflineEvaluationAndBoundsTheWasteDuringTheAttack() throws Exception {
    Scenario scenario = new ScenarioLoader().parse("tiny.yaml", SCENARIO.replace("recoveredWithin: 30s",
        "recoveredWithin: 30s\n  maxWastedShareOfNaiveDuringAttack: 0.1"));
    ScaledObject manifest = ScaledObjectReader.read(RepoFiles.root().resolve("manifests/examples/scaledobject.yaml"));
    var offline = dev.legitscaler.loadtest.evaluate.Evaluator.run(scenario, manifest,
        dev.legitscaler.loadtest.evaluate.EvaluationSettings.defaults());
    for (int boughtDuringAttack : new int[] {0, 1}) {
      List<Sample> samples = new ArrayList<>();
      for (int t = 0; t < 240; t++) {
        boolean attack = t >= 120 && t < 180;
        samples.add(sample(t, 4 + (attack && t >= 150 ? boughtDuringAttack : 0), attack ? 0.2 : 1.0, attack ? 1 : 0, Map.of()));
      }
      RunOutput out = new RunOutput(scenario, TrafficModel.of(scenario), new RunOutput.RunInfo("local", Map.of(), 4, 6, 5, 0.7),
          samples, List.of(), Optional.of(offline), Optional.empty());
      // the emulated HPA needs its stabilization window and one pod per minute: the naive line is not
      // the instantaneous clamp(ceil(rate / 3.5)) = 6 at the attack's first second
      assertThat(out.rows().get(120).naiveReplicas()).isEqualTo(offline.seconds().get(120).naiveReplicas()).isLessThan(6);
      assertThat(out.rows().stream().mapToInt(r -> r.naiveReplicas()).max().getAsInt()).isGreaterThan(4);
      RunOutput.Check share = out.checks().stream().filter(c -> c.name().equals("wasted replica-minutes during the attack"))
          .findFirst().orElseThrow();
      assertThat(share.passed()).as(share.detail()).isEqualTo(boughtDuringAttack == 0);
      out.write(dir);
      List<String> csv = Files.readAllLines(dir.resolve("timeseries.csv"));
      assertThat(csv.get(0)).endsWith(",offline_replicas");
      JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
      assertThat(summary.path("rateUnit").asText()).isEqualTo("scenario requests/s");
      assertThat(summary.path("agreement").path("replicasWithinOneShare").isNumber()).isTrue();
      assertThat(summary.path("duringAttack").path("naiveWastedReplicaMinutes").asDouble()).isPositive();
    }
  }

  @Test
  void summaryCarriesThePlatformCpuCostOrNullWithoutOne() throws Exception {
    Scenario scenario = new ScenarioLoader().parse("tiny.yaml", SCENARIO);
    java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
    PlatformCpu cpu = PlatformCpu.between(
        new PlatformCpu.Snapshot(t0, List.of(new PlatformCpu.Reading(1, "run", java.time.Duration.ofSeconds(2))), 0.25),
        new PlatformCpu.Snapshot(t0.plusSeconds(80), List.of(new PlatformCpu.Reading(1, "run", java.time.Duration.ofSeconds(42)),
            new PlatformCpu.Reading(2, "kafka broker", java.time.Duration.ofSeconds(100))), 1.5), 2);
    RunOutput.RunInfo info = new RunOutput.RunInfo("local", Map.of(), 4, 6, 5, 0.7);

    new RunOutput(scenario, TrafficModel.of(scenario), info, List.of(), List.of(), Optional.empty(), Optional.of(cpu))
        .write(dir);

    JsonNode c = new ObjectMapper().readTree(dir.resolve("summary.json").toFile()).path("platformCpu");
    assertThat(c.path("wallSeconds").asDouble()).isEqualTo(80.0);
    assertThat(c.path("machineCores").asInt()).isEqualTo(2);
    assertThat(c.path("loadAverageStart").asDouble()).isEqualTo(0.25);
    assertThat(c.path("loadAverageEnd").asDouble()).isEqualTo(1.5);
    assertThat(c.path("totalCpuSeconds").asDouble()).isEqualTo(140.0);
    assertThat(c.path("totalCores").asDouble()).isEqualTo(1.75);
    assertThat(c.path("mostOfMachine").asBoolean()).isTrue();
    assertThat(c.path("processes").get(0).path("name").asText()).isEqualTo("kafka broker");
    assertThat(c.path("processes").get(0).path("cpuSeconds").asDouble()).isEqualTo(100.0);
    assertThat(c.path("processes").get(0).path("cores").asDouble()).isEqualTo(1.25);
    assertThat(c.path("processes").get(1).path("pid").asLong()).isEqualTo(1);
    assertThat(c.path("processes").get(1).path("cores").asDouble()).isEqualTo(0.5);

    Path other = dir.resolve("without");
    new RunOutput(scenario, TrafficModel.of(scenario), info, List.of(), List.of(), Optional.empty(), Optional.empty())
        .write(other);
    JsonNode none = new ObjectMapper().readTree(other.resolve("summary.json").toFile());
    assertThat(none.has("platformCpu")).isTrue();
    assertThat(none.path("platformCpu").isNull()).isTrue();
  }
}
