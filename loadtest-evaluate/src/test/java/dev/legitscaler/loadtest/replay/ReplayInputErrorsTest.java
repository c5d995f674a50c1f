package dev.legitscaler.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.gate.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed replay files: exit code 2 and a message naming the field and the accepted form. */
class ReplayInputErrorsTest {
  static final String HPA = "\"hpa\": {\"minReplicas\": 4, \"maxReplicas\": 6, \"metrics\": [{\"type\": \"External\", "
      + "\"external\": {\"metric\": {\"name\": \"load\"}, \"target\": {\"type\": \"AverageValue\", \"averageValue\": \"100\"}}}]}";
  static final String OK = "{" + HPA + ", \"initial\": {\"replicas\": 4}, \"steps\": [{\"t\": 0, \"metrics\": {\"load\": 420}}]}";

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  Run run(String json) throws IOException {
    Path f = dir.resolve("replay.json");
    Files.writeString(f, json);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("hpa", "replay", f.toString());
    return new Run(code, out.toString(), err.toString().replace(f.toString(), "replay.json"));
  }

  @Test
  void wellFormedFileRuns() throws IOException {
    Run r = run(OK);
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("{\"t\":0,\"currentReplicas\":4,\"desiredReplicas\":4,\"reason\":\"DesiredWithinRange\"");
  }

  /** Each row edits the well-formed file (find → replace) and expects this message. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON            | {                                       | [                                           | not valid JSON
      unknown top field   | "initial"                               | "initail"                                   | replay.json: initail: unknown field; expected one of
      hpa and scaledObject | "initial"                              | "scaledObject": "x.yaml", "initial"         | give exactly one of "hpa"
      missing steps       | , "steps": [{"t": 0, "metrics": {"load": 420}}] |                                   | steps: required; expected a list of objects
      empty steps         | [{"t": 0, "metrics": {"load": 420}}]    | []                                          | steps: at least one step is required
      decreasing t        | [{"t": 0, "metrics": {"load": 420}}]    | [{"t": 15, "metrics": {"load": 1}}, {"t": 15, "metrics": {"load": 1}}] | steps[1].t: steps must be in increasing time
      negative t          | "t": 0                                  | "t": -1                                     | steps[0].t: expected a whole number of seconds ≥ 0, got -1
      missing metric      | {"load": 420}                           | {}                                          | steps[0].metrics.load: required; every step gives each metric of the spec [load]
      unknown metric      | {"load": 420}                           | {"load": 420, "cpu": 1}                     | steps[0].metrics.cpu: unknown field; expected one of [load]
      bad value           | {"load": 420}                           | {"load": true}                              | steps[0].metrics.load: expected a number, a quantity string
      bad quantity        | {"load": 420}                           | {"load": "4x"}                              | steps[0].metrics.load: expected a number, a quantity string
      bad error object    | {"load": 420}                           | {"load": {"err": "x"}}                      | steps[0].metrics.load.err: unknown field; expected one of [error]
      string replicas     | "replicas": 4                           | "replicas": "4"                             | initial.replicas: expected an integer ≥ 0, got "4"
      ready above pods    | "replicas": 4                           | "replicas": 4, "pods": 2, "readyPods": 3    | initial.readyPods: expected an integer in 0..2, got 3
      resource metric     | "type": "External"                      | "type": "Resource"                          | hpa.metrics[0].type: only External metrics are replayed
      target type         | "type": "AverageValue"                  | "type": "Utilization"                       | hpa.metrics[0].external.target.type: expected AverageValue or Value
      zero target         | "averageValue": "100"                   | "averageValue": "0"                         | hpa.metrics[0].external.target.averageValue: must be positive
      min above max       | "minReplicas": 4                        | "minReplicas": 7                            | hpa.minReplicas: must be ≤ maxReplicas (6)
      tolerance form      | "initial"                               | "controller": {"toleranceForm": "1.31"}, "initial" | controller.toleranceForm: '1.31' is not a tolerance form; expected "1.32"
      1.32 asymmetric     | "initial"                               | "controller": {"toleranceForm": "1.32", "toleranceUp": 0.2}, "initial" | controller.toleranceForm: the 1.32 form has one tolerance
      events w/o behavior | "replicas": 4                           | "replicas": 4, "scaleUpEvents": [{"change": 1, "ageSeconds": 10}] | initial.scaleUpEvents: scale events only matter with a behavior
      bad policy          | "maxReplicas": 6,                       | "maxReplicas": 6, "behavior": {"scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 15}]}}, | hpa.behavior.scaleUp.policies[0].value: expected an integer ≥ 1, got 0
      missing manifest    | "initial"                               | "scaledObject": "missing.yaml", "initial"   | no such file (the ScaledObject manifest)
      bad tolerance       | "maxReplicas": 6,                       | "maxReplicas": 6, "behavior": {"scaleUp": {"tolerance": "lots"}}, | hpa.behavior.scaleUp.tolerance: expected a non-negative quantity (number or string such as 0.05, "50m"; Kubernetes >= 1.33), got "lots"
      negative tolerance  | "maxReplicas": 6,                       | "maxReplicas": 6, "behavior": {"scaleDown": {"tolerance": -0.1}}, | hpa.behavior.scaleDown.tolerance: must be non-negative, got -0.1
      """)
  void malformed(String what, String find, String replace, String message) throws IOException {
    String json = what.equals("hpa and scaledObject") || what.equals("missing manifest")
        ? (what.equals("missing manifest") ? OK.replace(HPA + ", ", "") : OK).replace(find, replace)
        : OK.replace(find, replace == null ? "" : replace);
    assertThat(json).as("fixture edit applies").isNotEqualTo(OK);
    Run r = run(json);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("hpa replay: replay.json: ").contains(message);
  }

  @Test
  void missingFileIsExit2() {
    var cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("hpa", "replay", dir.resolve("nope.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("no such file (the replay file)");
  }

  @Test
  void scaledObjectWithoutMetricSpecs() throws IOException {
    Files.copy(Path.of("examples/hpa/scaledobject.yaml"), dir.resolve("so.yaml"));
    Run r = run("{\"scaledObject\": \"so.yaml\", \"initial\": {\"replicas\": 4}, \"steps\": [{\"t\": 0, \"metrics\": {}}]}");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("metricSpecs: required with \"scaledObject\"");
  }

  @Test
  void badScaledObjectNamesTheManifestField() throws IOException {
    Files.writeString(dir.resolve("so.yaml"), Files.readString(Path.of("examples/hpa/scaledobject.yaml")).replace("maxReplicaCount: 6", "maxReplicaCount: 3"));
    Run r = run("{\"scaledObject\": \"so.yaml\", \"metricSpecs\": [{\"metricName\": \"m\", \"targetSize\": 1}], "
        + "\"initial\": {\"replicas\": 4}, \"steps\": [{\"t\": 0, \"metrics\": {\"s0-m\": 1}}]}");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("so.yaml: spec.minReplicaCount: must be ≤ maxReplicaCount (3), got 4");
  }

  @Test
  void perHpaToleranceNeedsThe133Form() throws IOException {
    String json = OK.replace("\"maxReplicas\": 6,", "\"maxReplicas\": 6, \"behavior\": {\"scaleUp\": {\"tolerance\": 0.2}},")
        .replace("\"initial\"", "\"controller\": {\"toleranceForm\": \"1.32\"}, \"initial\"");
    Run r = run(json);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("behavior.scaleUp/scaleDown.tolerance: exists from Kubernetes 1.33 on");
    assertThat(run(json.replace("\"1.32\"", "\"1.33\"")).code()).isZero();
  }
}
