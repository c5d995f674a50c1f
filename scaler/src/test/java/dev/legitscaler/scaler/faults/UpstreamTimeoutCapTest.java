package dev.legitscaler.scaler.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A trigger may not ask the server to hold a refresh thread longer than the operator allows: a
 * {@code timeout} above {@code --max-upstream-timeout} (default 10 s) is refused by the real server's
 * GetMetricSpec with INVALID_ARGUMENT naming the key, the value and the accepted range, for the load
 * query and for the Prometheus legitimacy query, which share the key. Nothing is clamped.
 */
class UpstreamTimeoutCapTest {
  private static ScalerUnderTest scaler;

  @BeforeAll
  static void start() throws Exception {
    scaler = ScalerUnderTest.start(ScalerUnderTest.defaults(Duration.ofSeconds(1), Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() throws Exception {
    scaler.close();
  }

  static Stream<Arguments> tooLong() {
    Map<String, String> load = Map.of("serverAddress", "http://127.0.0.1:1", "loadQuery", "up");
    Map<String, String> legitimacy = Map.of("bootstrapServers", "127.0.0.1:1", "consumerGroup", "g", "topic", "t",
        "legitimacySource", "prometheus", "legitimacyQuery", "vector(1)", "serverAddress", "http://127.0.0.1:1");
    return Stream.of(
        Arguments.of("load", load, "11s"),
        Arguments.of("load", load, "2m"),
        Arguments.of("load", load, "1h"),
        Arguments.of("legitimacy", legitimacy, "30s"));
  }

  @ParameterizedTest(name = "{0} timeout {2}")
  @MethodSource("tooLong")
  void aTimeoutAboveTheServersCapIsRefusedNamingKeyValueAndRange(String signal, Map<String, String> metadata,
      String timeout) {
    Map<String, String> md = new HashMap<>(metadata);
    md.put("timeout", timeout);
    assertThatThrownBy(() -> scaler.metricName(ScalerUnderTest.ref("capped-" + signal, md)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("'timeout'", "'" + timeout + "'",
              "between 10ms and 10s", "--max-upstream-timeout");
        });
  }

  @Test
  void theCapItselfIsAccepted() {
    String name = scaler.metricName(ScalerUnderTest.ref("at-cap", Map.of("serverAddress", "http://127.0.0.1:1",
        "loadQuery", "up", "timeout", "10s")));
    assertThat(name).startsWith("legitscaler-");
  }
}
