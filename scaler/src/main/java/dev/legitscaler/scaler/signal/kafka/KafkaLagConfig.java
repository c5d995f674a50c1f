package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.Map;
import java.util.Optional;

/** KEDA's Kafka trigger keys with KEDA's semantics (bootstrapServers, consumerGroup, topic, ...). */
public final class KafkaLagConfig {
  /** Empty when the metadata has no Kafka key at all (signal off); otherwise {@link #parseRequired}. */
  public static Optional<KafkaLagConfig> parse(Metadata md, ServerDefaults defaults) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Validates as KEDA's Kafka scaler does; throws ConfigException naming the key. */
  public static KafkaLagConfig parseRequired(Metadata md, ServerDefaults defaults) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public long lagThreshold() {
    throw new UnsupportedOperationException("not implemented yet");
  }

  /** Parsed settings for Explain, secrets redacted. */
  public Map<String, String> describe() {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
