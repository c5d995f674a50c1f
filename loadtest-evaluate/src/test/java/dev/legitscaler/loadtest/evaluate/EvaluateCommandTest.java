package dev.legitscaler.loadtest.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.gate.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `loadtest evaluate` end to end: files per docs/run-output.md and the exit codes. */
class EvaluateCommandTest {
  private static final String MANIFEST = "../manifests/examples/scaledobject.yaml";

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path scenario(String name, String expectations) throws Exception {
    Path f = dir.resolve(name + ".yaml");
    Files.writeString(f, """
        name: %s
        seed: 7
        duration: 5m
        legitimate:
          rate: 300
          activeClients: 1000
          ratePerClient: {distribution: lognormal, sigma: 0.6}
          phases:
            - {kind: steady, duration: 60s}
            - {kind: step, duration: 240s, to: 3}
        model:
          capacityPerReplica: 200
        expectations:
        %s
        """.formatted(name, expectations.indent(2)));
    return f;
  }

  @Test
  void passingExpectationsExitZeroAndWriteTheContractFiles() throws Exception {
    Path s = scenario("step-ok", "replicas: {min: 4, max: 6}\nalerts:\n  - {alert: SuspectedDDoS, fires: false}");
    Path out = dir.resolve("out");
    Run r = run("evaluate", s.toString(), "--out", out.toString(), "--scaled-object", MANIFEST);
    assertThat(r.code()).as(r.err() + r.out()).isZero();

    List<String> csv = Files.readAllLines(out.resolve("timeseries.csv"));
    assertThat(csv.get(0)).isEqualTo(OutputWriter.HEADER);
    assertThat(csv).hasSize(1 + 300);
    assertThat(csv.get(1)).startsWith("0,");

    JsonNode j = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(j.get("scenario").asText()).isEqualTo("step-ok");
    assertThat(j.get("mode").asText()).isEqualTo("evaluate");
    assertThat(j.get("params").get("capacityPerReplica").asDouble()).isEqualTo(200.0);
    assertThat(j.get("params").get("legitimacySource").asText()).isEqualTo("kafka");
    for (String f : List.of("wastedReplicaMinutes", "underProvisionedReplicaMinutes")) {
      assertThat(j.get("legit").has(f)).isTrue();
      assertThat(j.get("naive").has(f)).isTrue();
    }
    assertThat(j.get("replicas").get("max").asInt()).isEqualTo(6); // 900 req/s needs 7 at 0.7 x 200: capped at 6
    assertThat(j.has("wastedRatio")).isTrue();
    assertThat(j.get("detectionDelaySeconds").isNull()).isTrue();
    assertThat(j.get("recoverySeconds").isNull()).isTrue();
    assertThat(j.get("legitOnlyLowScoreWindowShare").asDouble()).isZero();
    assertThat(j.get("expectationsPassed").asBoolean()).isTrue();
    JsonNode alert = j.get("expectations").get(1);
    assertThat(alert.get("passed").asBoolean()).isTrue();
    assertThat(alert.get("detail").asText()).contains("checked only by `loadtest run`");
  }

  @Test
  void aFailedExpectationExitsOneAndStillWritesTheResults() throws Exception {
    Path s = scenario("step-too-many", "replicas: {min: 4, max: 4}");
    Path out = dir.resolve("out");
    Run r = run("evaluate", s.toString(), "--out", out.toString(), "--scaled-object", MANIFEST);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL replicas");
    JsonNode j = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(j.get("expectationsPassed").asBoolean()).isFalse();
    assertThat(j.get("expectations").get(0).get("passed").asBoolean()).isFalse();
  }

  @Test
  void aBadScenarioExitsTwoNamingFileAndLine() throws Exception {
    Path s = dir.resolve("bad.yaml");
    Files.writeString(s, "name: bad\nduration: 1m\nlegitimate:\n  rate: 300\n  activeClients: 10\n  rat: 3\n");
    Run r = run("evaluate", s.toString(), "--out", dir.resolve("out").toString(), "--scaled-object", MANIFEST);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(s + ":6:").contains("rat");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aBadManifestKeyExitsTwoNamingTheKey() throws Exception {
    Path so = dir.resolve("so.yaml");
    Files.writeString(so, Files.readString(Path.of(MANIFEST)).replace("targetLoad: \"0.7\"", "targetLoad: \"lots\""));
    Path s = scenario("step", "replicas: {min: 4, max: 6}");
    Run r = run("evaluate", s.toString(), "--out", dir.resolve("out").toString(), "--scaled-object", so.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("targetLoad").contains("lots");
  }

  @Test
  void badOptionsExitTwo() throws Exception {
    Path s = scenario("step", "replicas: {min: 4, max: 6}");
    assertThat(run("evaluate", s.toString(), "--out", dir.resolve("o").toString(), "--scaled-object", MANIFEST,
        "--pod-start-delay", "soon").code()).isEqualTo(2);
    assertThat(run("evaluate", s.toString(), "--out", dir.resolve("o").toString(), "--scaled-object",
        dir.resolve("missing.yaml").toString()).code()).isEqualTo(2);
    assertThat(run("evaluate", "no-such-scenario", "--out", dir.resolve("o").toString()).code()).isEqualTo(2);
  }
}
