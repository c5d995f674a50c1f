package dev.legitscaler.loadtest.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.hpa.PodCounts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Step overrides: unready pods, manual scale, several values per metric. */
class ReplayerTest {
  static final String VALUE_HPA = "\"hpa\": {\"minReplicas\": 1, \"maxReplicas\": 10, \"metrics\": [{\"type\": \"External\", "
      + "\"external\": {\"metric\": {\"name\": \"m\"}, \"target\": {\"type\": \"Value\", \"value\": \"4.4\"}}}]}";

  /** {@code steps} is a JSON list; expected is the desired replicas of each step. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      case 1; Value keeps growing   | [{"t": 0, "metrics": {"m": 8.6}}, {"t": 15, "metrics": {"m": 8.6}}]                                | 2 4
      case 2 via readyPods          | [{"t": 0, "metrics": {"m": 8.6}, "replicas": 3, "readyPods": 1}]                                   | 2
      no pods: metric error         | [{"t": 0, "metrics": {"m": 8.6}, "replicas": 3, "pods": 0, "readyPods": 0}]                        | 3
      none ready: proposal 0 -> min | [{"t": 0, "metrics": {"m": 8.6}, "replicas": 3, "pods": 3, "readyPods": 0}]                        | 1
      values are summed             | [{"t": 0, "metrics": {"m": ["4.3", "4300m"]}}]                                                     | 2
      manual scale to 0 disables    | [{"t": 0, "metrics": {"m": 8.6}, "replicas": 0}]                                                   | 0
      """)
  void steps(String what, String steps, String expected) {
    String json = "{" + VALUE_HPA + ", \"initial\": {\"replicas\": 1, \"recommendations\": []}, \"steps\": " + steps + "}";
    List<Map<String, Object>> lines = Replayer.run(ReplayReader.parse(json, Path.of(".")), false);
    assertThat(lines.stream().map(l -> String.valueOf(l.get("desiredReplicas"))).toList())
        .containsExactly(expected.split(" "));
  }

  /** A step's pods: {@code pods} alone means all ready (as in {@code initial}), {@code readyPods} alone keeps the count. */
  @ParameterizedTest(name = "settled {0}/{1} ready, step pods={2} readyPods={3} -> {4}/{5}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      4 | 4 | -  | -  | 4 | 4
      4 | 1 | -  | -  | 4 | 1
      4 | 4 | 6  | -  | 6 | 6
      4 | 1 | 3  | -  | 3 | 3
      4 | 4 | 6  | 2  | 6 | 2
      4 | 4 | -  | 2  | 4 | 2
      4 | 4 | -  | 5  | 5 | 5
      """)
  void stepPods(int total, int ready, Integer pods, Integer readyPods, int wantTotal, int wantReady) {
    ReplayInput.Step step = new ReplayInput.Step(0, Map.of(), Optional.empty(), Optional.empty(),
        Optional.ofNullable(pods), Optional.ofNullable(readyPods));
    assertThat(Replayer.stepPods(step, new PodCounts(total, ready))).isEqualTo(new PodCounts(wantTotal, wantReady));
  }

  @Test
  void podsWithoutReadyPodsAreAllReady() {
    // initial: 1 of 3 ready, so the Value target 8.6/4.4 proposes ceil(1.95 * 1) = 2; a step that says
    // pods: 3 (no readyPods) has all 3 ready: ceil(1.95 * 3) = 6
    String json = "{" + VALUE_HPA + ", \"initial\": {\"replicas\": 3, \"pods\": 3, \"readyPods\": 1, \"recommendations\": []}, "
        + "\"steps\": [{\"t\": 0, \"metrics\": {\"m\": 8.6}}, {\"t\": 15, \"metrics\": {\"m\": 8.6}, \"replicas\": 3, \"pods\": 3}]}";
    List<Map<String, Object>> lines = Replayer.run(ReplayReader.parse(json, Path.of(".")), false);
    assertThat(lines.stream().map(l -> l.get("desiredReplicas")).toList()).containsExactly(2, 6);
  }

  /** behavior.scaleUp/scaleDown.tolerance replaces the controller's tolerance for that direction only. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      flag: 1.125 scales up                | {}                                                   | 4  | 450 | 5
      scaleUp 0.2: 1.125 holds             | {"scaleUp": {"tolerance": 0.2}}                      | 4  | 450 | 4
      scaleUp "200m": 1.125 holds          | {"scaleUp": {"tolerance": "200m"}}                   | 4  | 450 | 4
      scaleUp 0.2: 1.25 scales             | {"scaleUp": {"tolerance": 0.2}}                      | 4  | 500 | 5
      scaleDown 0.15 leaves scale-up alone | {"scaleDown": {"tolerance": 0.15}}                   | 4  | 450 | 5
      flag: 0.88 scales down               | {"scaleDown": {"stabilizationWindowSeconds": 0}}     | 10 | 880 | 9
      scaleDown 0.15: 0.88 holds           | {"scaleDown": {"stabilizationWindowSeconds": 0, "tolerance": 0.15}} | 10 | 880 | 10
      scaleUp 0 scales on any rise         | {"scaleUp": {"tolerance": 0}}                        | 4  | 404 | 5
      """)
  void perHpaTolerance(String what, String behavior, int current, int usagePerReplicaTimesCurrent, int expected) {
    String json = "{\"hpa\": {\"minReplicas\": 1, \"maxReplicas\": 20, \"behavior\": " + behavior + ", \"metrics\": [{\"type\": \"External\", "
        + "\"external\": {\"metric\": {\"name\": \"m\"}, \"target\": {\"type\": \"AverageValue\", \"averageValue\": \"100\"}}}]}, "
        + "\"initial\": {\"replicas\": " + current + ", \"recommendations\": []}, "
        + "\"steps\": [{\"t\": 0, \"metrics\": {\"m\": " + usagePerReplicaTimesCurrent + "}}]}";
    List<Map<String, Object>> lines = Replayer.run(ReplayReader.parse(json, Path.of(".")), false);
    assertThat(lines.get(0).get("desiredReplicas")).as(what).isEqualTo(expected);
  }
}
