package dev.legitscaler.loadtest.keda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.MetricTarget;
import dev.legitscaler.loadtest.hpa.Quantities;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * KEDA's fallback: consecutive failures past failureThreshold answer target × replicas. Sequences are
 * "ok" (value 2) or "err" per call; outputs are the values the HPA sees ("err" where the error passes).
 */
class FallbackTrackerTest {

  @ParameterizedTest(name = "threshold {0}, replicas {1}, {2}, target {3}, current {4}: {5} -> {6}")
  @CsvSource(delimiter = '|', textBlock = """
      3 | 6 | static                  | 1   | 4 | err err err err err    | err err err 6 6
      3 | 6 | static                  | 1   | 4 | err err err ok err err | err err err 2 err err
      0 | 6 | static                  | 1   | 4 | err ok err             | 6 2 6
      2 | 5 | static                  | 0.7 | 4 | err err err            | err err 3.5
      2 | 5 | currentReplicas         | 1   | 4 | err err err            | err err 4
      2 | 5 | currentReplicasIfHigher | 1   | 4 | err err err            | err err 5
      2 | 3 | currentReplicasIfHigher | 1   | 4 | err err err            | err err 4
      2 | 5 | currentReplicasIfLower  | 1   | 4 | err err err            | err err 4
      2 | 3 | currentReplicasIfLower  | 1   | 4 | err err err            | err err 3
      """)
  void averageValue(int threshold, int replicas, String behavior, String target, int current, String calls, String seen) {
    FallbackTracker f = new FallbackTracker(Optional.of(new Fallback(threshold, replicas, FallbackBehavior.parse(behavior))));
    ExternalMetric m = new ExternalMetric("s0-m", new MetricTarget.AverageValue(Quantities.parseMilli(target)));
    assertThat(run(f, m, calls, current)).isEqualTo(seen);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      no fallback            | err err err err err | err err err err err
      Value metric           | err err err err err | err err err err err
      """)
  void noFallback(String what, String calls, String seen) {
    boolean value = what.startsWith("Value");
    FallbackTracker f = new FallbackTracker(value ? Optional.of(new Fallback(1, 6, FallbackBehavior.STATIC)) : Optional.empty());
    ExternalMetric m = new ExternalMetric("s0-m", value ? new MetricTarget.Value(1000) : new MetricTarget.AverageValue(1000));
    assertThat(run(f, m, calls, 4)).isEqualTo(seen);
  }

  static String run(FallbackTracker f, ExternalMetric m, String calls, int current) {
    List<String> out = new ArrayList<>();
    for (String c : calls.trim().split("\\s+")) {
      MetricReading in = c.equals("ok") ? MetricReading.Values.of(2000) : new MetricReading.Failed("unavailable");
      FallbackTracker.Result r = f.apply(m, in, current);
      out.add(r.reading() instanceof MetricReading.Values v ? Quantities.format(v.sum()) : "err");
      assertThat(r.fallbackActive()).isEqualTo(c.equals("err") && r.reading() instanceof MetricReading.Values);
    }
    return String.join(" ", out);
  }
}
