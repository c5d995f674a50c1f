package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.config.ServerDefaults;

/** One Kafka Admin client per bootstrap servers + security settings, shared and reference-counted. */
public final class KafkaAdminPool implements AutoCloseable {
  public KafkaAdminPool(ServerDefaults defaults) {
  }

  @Override
  public void close() {
  }
}
