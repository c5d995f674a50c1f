package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;

/** Consumer-group lag with KEDA's semantics; keeps the previous commits for excludePersistentLag. */
public final class KafkaLagSource implements SignalSource<LagReading> {
  public KafkaLagSource(KafkaLagConfig config, KafkaAdminPool pool) {
  }

  @Override
  public LagReading fetch() throws SignalException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public void close() {
  }
}
