package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names reach logs, metric labels and Explain: a ScaledObjectRef whose namespace or name is not a
 * Kubernetes name (a forged log line, a terminal escape) is refused before any watch exists.
 */
class ScaledObjectNamesTest {
  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("ml", "model\nevent=watch_created watch=other/forged"),
        Arguments.of("ml\u001b[2J", "model"),
        Arguments.of("ML", "model"),
        Arguments.of("ml", "model_1"),
        Arguments.of("ml", "a..b"),
        Arguments.of("ml", "m".repeat(254)),
        Arguments.of("n".repeat(64), "model"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void aNameKubernetesWouldRefuseIsRefused(String namespace, String name) throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      assertThatThrownBy(() -> h.blocking.getMetricSpec(InProcessHarness.ref(namespace, name,
          InProcessHarness.md("loadQuery", "up"))))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("not a Kubernetes name").doesNotContain("\n")
                .doesNotContain("\u001b");
          });
      assertThat(h.registry.all()).isEmpty();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"ml|model", "team-a|fraud-model.v2", "a|b", "kube-system|x-1.y-2"})
  void kubernetesNamesAreServed(String namespace, String name) throws Exception {
    try (InProcessHarness h = new InProcessHarness()) {
      assertThat(h.blocking.getMetricSpec(InProcessHarness.ref(namespace, name,
          InProcessHarness.md("loadQuery", "up"))).getMetricSpecsCount()).isEqualTo(1);
    }
  }
}
