package dev.legitscaler.scaler.legitimacy.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sizing keys are bounded by the server's per-trigger memory limit, and the error names the key. */
class ScorerMemoryLimitTest {
  private static final long LIMIT = 128L << 20;

  static long check(Map<String, String> extra) {
    Map<String, String> m = new HashMap<>(Map.of("bootstrapServers", "k:9092", "topic", "requests"));
    m.putAll(extra);
    Metadata md = new Metadata(m);
    TrafficScorerConfig c = TrafficScorerConfig.parse(md, ServerDefaults.none(), "ns", "so");
    return TrafficScorerConfig.checkFootprint(md, c.scorer(), LIMIT);
  }

  @Test
  void defaultsFit() {
    assertThat(check(Map.of())).isBetween(1L << 20, 32L << 20);
  }

  @Test
  void twentyMillionKnownClientsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> check(Map.of("legitimacyKnownClientsCapacity", "20000000")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("legitimacyKnownClientsCapacity");
          assertThat(e.value()).isEqualTo("20000000");
          assertThat(e.getMessage()).contains("128 MiB per trigger", "--max-trigger-memory");
        });
  }

  @Test
  void longClearAfterWithShortBucketsIsRefusedNamingBothTimeKeys() {
    assertThatThrownBy(() -> check(Map.of("legitimacyClearAfter", "30m", "legitimacyBucket", "1s")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("legitimacyClearAfter");
          assertThat(e.value()).isEqualTo("30m with legitimacyBucket 1s");
          assertThat(e.getMessage()).contains("pending clearAfter/bucket lists");
        });
    assertThatThrownBy(() -> check(Map.of("legitimacyClearAfter", "30m")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("legitimacyClearAfter");
  }
}
