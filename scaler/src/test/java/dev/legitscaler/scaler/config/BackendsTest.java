package dev.legitscaler.scaler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Which declared backend a trigger reaches, with which credentials, or why it is refused. */
class BackendsTest {
  static final Backends.Prometheus SHARED = new Backends.Prometheus("shared", "http://prom.monitoring:9090",
      Optional.of(Path.of("/token")), Set.of("*"), true);
  static final Backends.Prometheus TEAM_A = new Backends.Prometheus("team-a-thanos", "http://thanos.team-a:9090",
      Optional.of(Path.of("/token-a")), Set.of("team-a"), false);
  static final Backends.Kafka EVENTS = new Backends.Kafka("events", List.of("kafka-0:9092", "kafka-1:9092"),
      Map.of("sasl.jaas.config", "secret"), Set.of("team-a", "team-b"), true);

  static Backends declared(boolean allowUndeclared) {
    return new Backends(List.of(SHARED, TEAM_A), List.of(EVENTS), allowUndeclared);
  }

  static Metadata md(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return new Metadata(m);
  }

  /** namespace, metadata, allowUndeclared → address reached and backend name ("-" = no credentials), or the refused key. */
  static Stream<Arguments> prometheusCases() {
    return Stream.of(
        Arguments.of("team-a", md(), false, "http://prom.monitoring:9090 shared"),
        Arguments.of("team-b", md("serverAddress", "http://prom.monitoring:9090/"), false,
            "http://prom.monitoring:9090 shared"),
        Arguments.of("team-b", md("serverAddress", "HTTP://PROM.monitoring:9090"), false,
            "http://prom.monitoring:9090 shared"),
        Arguments.of("team-a", md("prometheusBackend", "team-a-thanos"), false, "http://thanos.team-a:9090 team-a-thanos"),
        Arguments.of("team-a", md("serverAddress", "http://thanos.team-a:9090"), false,
            "http://thanos.team-a:9090 team-a-thanos"),
        Arguments.of("team-b", md("prometheusBackend", "team-a-thanos"), false, "denied prometheusBackend"),
        Arguments.of("team-b", md("serverAddress", "http://thanos.team-a:9090"), true, "denied serverAddress"),
        Arguments.of("team-a", md("prometheusBackend", "nope"), false, "denied prometheusBackend"),
        Arguments.of("team-a", md("serverAddress", "http://evil:9090"), false, "denied serverAddress"),
        Arguments.of("team-a", md("serverAddress", "http://prom.monitoring:9090/other"), false, "denied serverAddress"),
        Arguments.of("team-a", md("serverAddress", "http://evil:9090"), true, "http://evil:9090 -"),
        Arguments.of("team-a", md("prometheusBackend", "shared", "serverAddress", "http://evil:9090"), true,
            "invalid serverAddress"));
  }

  @ParameterizedTest(name = "{0} {1} allowUndeclared={2}")
  @MethodSource("prometheusCases")
  void prometheus(String namespace, Metadata md, boolean allowUndeclared, String expected) {
    String got;
    try {
      Backends.PrometheusRoute r = declared(allowUndeclared).prometheus(namespace, md, "serverAddress");
      got = r.address() + " " + r.backend().map(Backends.Prometheus::name).orElse("-");
    } catch (BackendDeniedException e) {
      got = "denied " + e.key();
    } catch (ConfigException e) {
      got = "invalid " + e.key();
    }
    assertThat(got).isEqualTo(expected);
  }

  static Stream<Arguments> kafkaCases() {
    return Stream.of(
        Arguments.of("team-a", md(), false, "kafka-0:9092,kafka-1:9092 events"),
        Arguments.of("team-b", md("bootstrapServers", "KAFKA-1:9092"), false, "kafka-1:9092 events"),
        Arguments.of("team-b", md("kafkaBackend", "events"), false, "kafka-0:9092,kafka-1:9092 events"),
        Arguments.of("team-c", md(), false, "denied kafkaBackend"),
        Arguments.of("team-c", md("bootstrapServers", "kafka-0:9092"), true, "denied bootstrapServers"),
        Arguments.of("team-a", md("bootstrapServers", "kafka-0:9092,evil:9092"), false, "denied bootstrapServers"),
        Arguments.of("team-a", md("bootstrapServers", "evil:9092"), true, "evil:9092 -"),
        Arguments.of("team-a", md("kafkaBackend", "events", "bootstrapServers", "evil:9092"), true,
            "invalid bootstrapServers"),
        Arguments.of("team-a", md("bootstrapServers", "no-port"), true, "invalid bootstrapServers"));
  }

  @ParameterizedTest(name = "{0} {1} allowUndeclared={2}")
  @MethodSource("kafkaCases")
  void kafka(String namespace, Metadata md, boolean allowUndeclared, String expected) {
    String got;
    try {
      Backends.KafkaRoute r = declared(allowUndeclared).kafka(namespace, md, "host:port", "bootstrapServers");
      got = String.join(",", r.bootstrapServers()) + " " + r.backend().map(Backends.Kafka::name).orElse("-");
      assertThat(r.clientProperties()).isEqualTo(r.backend().isPresent() ? EVENTS.clientProperties() : Map.of());
    } catch (BackendDeniedException e) {
      got = "denied " + e.key();
    } catch (ConfigException e) {
      got = "invalid " + e.key();
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void theRefusalNamesTheKeyTheValueAndOnlyTheBackendsTheNamespaceMayUse() {
    assertThatThrownBy(() -> declared(false).prometheus("team-b", md("serverAddress", "http://evil:9090"),
        "serverAddress"))
        .isInstanceOf(BackendDeniedException.class)
        .hasMessageContaining("'serverAddress'").hasMessageContaining("'http://evil:9090'")
        .hasMessageContaining("shared (http://prom.monitoring:9090)").hasMessageContaining("prometheusBackend")
        .hasMessageNotContaining("team-a-thanos").hasMessageNotContaining("token");
    assertThatThrownBy(() -> declared(false).kafka("team-b", md("bootstrapServers", "evil:9092"), "host:port",
        "bootstrapServers"))
        .hasMessageNotContaining("secret").hasMessageContaining("events (kafka-0:9092,kafka-1:9092)");
  }

  @Test
  void theSingleBackendFlagsDeclareOneDefaultForEveryNamespace() {
    Backends b = Backends.fromFlags(Optional.of("http://Prom:9090/"), Optional.of(Path.of("/t")),
        Optional.of("k:9092"), Map.of("a", "b"), false);
    assertThat(b.prometheus("any", md(), "serverAddress").backend()).map(Backends.Prometheus::url)
        .contains("http://prom:9090");
    assertThat(b.kafka("any", md(), "host:port", "bootstrapServers").clientProperties()).containsEntry("a", "b");
    assertThatThrownBy(() -> b.plus(new Backends(List.of(new Backends.Prometheus("default", "http://x:1",
        Optional.empty(), Set.of("*"), false)), List.of(), false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared twice");
    assertThat(b.toString()).doesNotContain("=b");
  }
}
