package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import java.time.Clock;

/** Samples the request topic with its own consumer group and scores the current window. */
public final class KafkaTrafficScorerSource implements SignalSource<LegitimacyReading> {
  public KafkaTrafficScorerSource(TrafficScorerConfig config, ServerDefaults defaults, Clock clock) {
  }

  @Override
  public LegitimacyReading fetch() throws SignalException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public void close() {
  }
}
