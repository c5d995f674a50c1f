package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;

/** Runs the load query: one series per instance. */
public final class PrometheusLoadSource implements SignalSource<LoadReading> {
  public PrometheusLoadSource(LoadConfig config, PrometheusClientPool pool) {
  }

  @Override
  public LoadReading fetch() throws SignalException {
    throw new UnsupportedOperationException("not implemented yet");
  }

  @Override
  public void close() {
  }
}
