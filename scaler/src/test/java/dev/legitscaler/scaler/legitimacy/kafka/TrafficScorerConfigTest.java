package dev.legitscaler.scaler.legitimacy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.AccessLog;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.Requests;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Malformed;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Observed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrafficScorerConfigTest {

  static TrafficScorerConfig parse(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(Map.of("bootstrapServers", "k:9092", "topic", "requests",
        "consumerGroup", "model"));
    m.putAll(extra);
    return TrafficScorerConfig.parse(new Metadata(m), ServerDefaults.none(), "ns", "so");
  }

  @Test
  void defaultsFollowTheKafkaTriggerAndGiveTheScorerItsOwnGroup() {
    TrafficScorerConfig c = parse(Map.of());
    assertThat(c.bootstrapServers()).isEqualTo("k:9092");
    assertThat(c.topic()).isEqualTo("requests");
    assertThat(c.consumerGroup()).startsWith("legit-scaler-scorer.ns.so").isNotEqualTo("model");
    assertThat(c.format()).isEqualTo(new Requests("client-id", Optional.empty()));
    assertThat(c.shadow()).isFalse();
    assertThat(c.scorer().bucket()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.describe()).containsEntry("legitimacyMode", "enforce").containsKey("legitimacyConsumerGroup");
  }

  @Test
  void accessLogKindAndOverrides() {
    TrafficScorerConfig c = parse(Map.of("legitimacyRecordKind", "accesslog", "legitimacyClientIdField", "a.b",
        "legitimacyInvalidStatus", "400-451", "legitimacyMode", "shadow", "legitimacyTopic", "gw-log",
        "legitimacyBucket", "2s", "legitimacyMinAgreeingSignals", "3"));
    assertThat(c.topic()).isEqualTo("gw-log");
    assertThat(c.format()).isEqualTo(new AccessLog("a.b", "status", Optional.of("timestamp"), 400, 451));
    assertThat(c.shadow()).isTrue();
    assertThat(c.scorer().bucket()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.scorer().minAgreeingSignals()).isEqualTo(3);
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of(Map.of("legitimacyConsumerGroup", "model"), "legitimacyConsumerGroup"),
        Arguments.of(Map.of("legitimacyRecordKind", "csv"), "legitimacyRecordKind"),
        Arguments.of(Map.of("legitimacyMode", "maybe"), "legitimacyMode"),
        Arguments.of(Map.of("legitimacyRecordKind", "accessLog", "legitimacyInvalidStatus", "499-400"),
            "legitimacyInvalidStatus"),
        Arguments.of(Map.of("legitimacyBucket", "10m"), "legitimacyBucket"),
        Arguments.of(Map.of("legitimacySurgeFactor", "1"), "legitimacySurgeFactor"));
  }

  @ParameterizedTest
  @MethodSource("badKeys")
  void badValuesNameTheKey(Map<String, String> extra, String key) {
    assertThatThrownBy(() -> parse(extra)).isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  @Test
  void missingTopicNamesTheKey() {
    assertThatThrownBy(() -> TrafficScorerConfig.parse(new Metadata(Map.of("bootstrapServers", "k:1")),
        ServerDefaults.none(), "ns", "so")).isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyTopic");
  }

  @Test
  void accessLogParsing() {
    RecordParser p = new RecordParser(new AccessLog("/req/ip", "status", Optional.of("ts"), 400, 499));
    assertThat(p.parse(null, json("{\"req\":{\"ip\":\"1.2.3.4\"},\"status\":\"403\",\"ts\":1700000000.5}"), null, 9))
        .isEqualTo(new Observed("1.2.3.4", 1_700_000_000_500L, false));
    assertThat(p.parse(null, json("{\"req\":{\"ip\":\"1.2.3.4\"},\"status\":200,\"ts\":\"2026-01-01T00:00:00Z\"}"),
        null, 9)).isEqualTo(new Observed("1.2.3.4", 1_767_225_600_000L, true));
    assertThat(p.parse(null, json("{\"req\":{\"ip\":\"1.2.3.4\"},\"status\":200}"), null, 9))
        .isEqualTo(new Observed("1.2.3.4", 9, true));
    assertThat(p.parse(null, json("{\"req\":{\"ip\":\"1.2.3.4\"},\"status\":200,\"ts\":\"yesterday\"}"), null, 9))
        .isEqualTo(new Malformed("bad_timestamp"));
    assertThat(p.parse(null, json("[1,2]"), null, 9)).isEqualTo(new Malformed("bad_json"));
    assertThat(p.parse(null, null, null, 9)).isEqualTo(new Malformed("empty_value"));
  }

  @Test
  void requestParsing() {
    RecordParser p = new RecordParser(new Requests("cid", Optional.of("ok")));
    RecordHeaders h = new RecordHeaders();
    h.add("cid", bytes("alice"));
    h.add("ok", bytes("0"));
    assertThat(p.parse(bytes("k"), null, h, 5)).isEqualTo(new Observed("alice", 5, false));
    assertThat(p.parse(bytes("k"), null, new RecordHeaders(), 5)).isEqualTo(new Observed("k", 5, true));
    assertThat(p.parse(null, null, new RecordHeaders(), 5)).isEqualTo(new Malformed("no_client_id"));
  }

  static byte[] json(String s) {
    return bytes(s);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
