package dev.legitscaler.loadtest.hpa.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
}
