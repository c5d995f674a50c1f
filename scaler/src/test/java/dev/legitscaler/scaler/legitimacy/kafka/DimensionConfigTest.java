package dev.legitscaler.scaler.legitimacy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficEvent.Observed;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The evidence dimensions' keys, and the attributes read from request records and access-log lines. */
class DimensionConfigTest {

  private static TrafficScorerConfig parse(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(Map.of("bootstrapServers", "k:9092", "topic", "requests"));
    m.putAll(extra);
    return TrafficScorerConfig.parse(new Metadata(m), ServerDefaults.none(), "ns", "so");
  }

  @Test
  void defaultsReadTheGeneratorsHeadersAndLeavePayloadOff() {
    TrafficScorerConfig c = parse(Map.of());
    assertThat(c.dimensions().network()).isTrue();
    assertThat(c.dimensions().timing()).isTrue();
    assertThat(c.dimensions().payload()).isFalse();
    assertThat(c.attributeFields().userAgent()).contains("user-agent");
    assertThat(c.attributeFields().features()).isEmpty();
    assertThat(c.describe()).containsKey("legitimacyDimensions");
  }

  @Test
  void badValuesNameTheKeyAndTheAcceptedForm() {
    assertThatThrownBy(() -> parse(Map.of("legitimacyDimensions", "network,colour")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyDimensions")
        .hasMessageContaining("network, attributes, timing, payload");
    assertThatThrownBy(() -> parse(Map.of("legitimacyPayloadReference", "0.5,0.1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyPayloadReference")
        .hasMessageContaining("ascending edges");
    assertThatThrownBy(() -> parse(Map.of("legitimacyNetworkShift", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyNetworkShift");
    assertThatThrownBy(() -> parse(Map.of("legitimacyUserAgentHeader", "x".repeat(300))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyUserAgentHeader");
    assertThatThrownBy(() -> parse(Map.of("legitimacyPayloadReference", "1;".repeat(17) + "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at most 16 features");
  }

  @Test
  void aGivenReferenceAndFeaturePathAreUsed() {
    TrafficScorerConfig c = parse(Map.of("legitimacyPayloadFeatures", "/features",
        "legitimacyPayloadReference", "-0.5,0,0.5;-1,1"));
    assertThat(c.dimensions().payload()).isTrue();
    assertThat(c.dimensions().payloadReference()).isPresent();
    assertThat(c.dimensions().payloadReference().get()[1]).containsExactly(-1, 1);
  }

  @Test
  void requestRecordsCarryHeadersAndBodyFeatures() {
    TrafficScorerConfig c = parse(Map.of("legitimacyPayloadFeatures", "/features"));
    RecordParser p = new RecordParser(c.format(), c.attributeFields());
    RecordHeaders h = new RecordHeaders();
    h.add("client-id", bytes("1.2.3.4"));
    h.add("user-agent", bytes("ua/1"));
    h.add("tls-fingerprint", bytes("abc"));
    Observed o = (Observed) p.parse(null, bytes("{\"features\":[0.5,-1,2]}"), h, 7);
    assertThat(o.attributes().userAgent()).isEqualTo("ua/1");
    assertThat(o.attributes().tlsFingerprint()).isEqualTo("abc");
    assertThat(o.attributes().path()).isNull();
    assertThat(o.attributes().features()).containsExactly(0.5, -1, 2);
    Observed bad = (Observed) p.parse(null, bytes("<xml>"), h, 7);
    assertThat(bad.attributes().features()).isNull();
  }

  @Test
  void accessLogLinesCarryFields() {
    TrafficScorerConfig c = parse(Map.of("legitimacyRecordKind", "accessLog", "legitimacyPayloadFeatures",
        "req.x", "legitimacyAddressField", "addr"));
    RecordParser p = new RecordParser(c.format(), c.attributeFields());
    Observed o = (Observed) p.parse(null, bytes("{\"client_ip\":\"u1\",\"status\":200,\"addr\":\"9.9.9.9\","
        + "\"user_agent\":\"curl\",\"path\":\"/p\",\"req\":{\"x\":[1,2]}}"), null, 5);
    assertThat(o.attributes().address()).isEqualTo("9.9.9.9");
    assertThat(o.attributes().userAgent()).isEqualTo("curl");
    assertThat(o.attributes().path()).isEqualTo("/p");
    assertThat(o.attributes().features()).containsExactly(1, 2);
    assertThat(Optional.ofNullable(o.attributes().tlsFingerprint())).isEmpty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
