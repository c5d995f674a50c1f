package dev.legitscaler.scaler.signal.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceNamesTest {
  static Stream<Arguments> single() {
    return Stream.of(
        Arguments.of(Map.of("instance", "10.0.0.1:8080", "pod", "model-0", "job", "m"), "10.0.0.1:8080"),
        Arguments.of(Map.of("pod", "model-0", "job", "m"), "model-0"),
        Arguments.of(Map.of("instance", "", "pod", "model-1"), "model-1"),
        Arguments.of(Map.of("zone", "b", "job", "m"), "{job=\"m\",zone=\"b\"}"),
        Arguments.of(Map.of("path", "a\"b\\c"), "{path=\"a\\\"b\\\\c\"}"),
        Arguments.of(Map.of(), "{}"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("single")
  void seriesIsNamedByInstanceThenPodThenLabels(Map<String, String> labels, String expected) {
    assertThat(InstanceNames.names(List.of(labels))).containsExactly(expected);
  }

  static Stream<Arguments> several() {
    return Stream.of(
        Arguments.of(List.of(Map.of("instance", "a"), Map.of("instance", "b")), List.of("a", "b")),
        Arguments.of(List.of(Map.of("instance", "a", "gpu", "0"), Map.of("instance", "a", "gpu", "1"),
            Map.of("instance", "b")), List.of("{gpu=\"0\",instance=\"a\"}", "{gpu=\"1\",instance=\"a\"}", "b")),
        Arguments.of(List.of(Map.of("pod", "p"), Map.of("instance", "p")),
            List.of("{pod=\"p\"}", "{instance=\"p\"}")));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("several")
  void clashingNamesFallBackToFullLabelSets(List<Map<String, String>> labelSets, List<String> expected) {
    assertThat(InstanceNames.names(labelSets)).containsExactlyElementsOf(expected);
  }
}
