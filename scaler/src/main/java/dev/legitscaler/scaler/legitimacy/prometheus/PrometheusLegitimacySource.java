package dev.legitscaler.scaler.legitimacy.prometheus;

import dev.legitscaler.scaler.legitimacy.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;

/** Reads the legitimate share of traffic from a Prometheus ratio query. */
public final class PrometheusLegitimacySource implements SignalSource<LegitimacyReading> {
  public PrometheusLegitimacySource(LegitimacyQueryConfig config, PrometheusClientPool pool) {
  }

  @Override
  public LegitimacyReading fetch() throws SignalException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public void close() {
  }
}
