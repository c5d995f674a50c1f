package dev.legitscaler.scaler.signal;

/**
 * One backend signal (Prometheus load, Kafka lag, legitimacy). Only a Watch's background refresher
 * calls {@link #fetch()}: it is the one place that does I/O. RPC handlers never call it.
 *
 * @param <R> the reading this source produces, an immutable record
 */
public interface SignalSource<R> extends AutoCloseable {

  /** Reads the backend once. Throws {@link SignalException} with a short, operator-readable cause. */
  R fetch() throws SignalException;

  /** Releases this source's share of pooled clients. Never throws. */
  @Override
  void close();
}
