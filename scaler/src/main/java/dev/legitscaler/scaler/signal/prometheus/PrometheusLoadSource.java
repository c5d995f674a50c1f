package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the load query: one series per instance. A scalar answer counts as one unnamed instance. With
 * {@code ignoreNullValues=false}, an empty result or a NaN/±Inf series fails the refresh with
 * {@code empty_result}; with true (the default) they mean zero instances / a dropped series.
 */
public final class PrometheusLoadSource implements SignalSource<LoadReading> {
  private final LoadConfig config;
  private final PrometheusClientPool pool;
  private final PrometheusClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public PrometheusLoadSource(LoadConfig config, PrometheusClientPool pool) {
    this.config = config;
    this.pool = pool;
    this.client = pool.acquire(config.serverAddress());
  }

  @Override
  public LoadReading fetch() throws SignalException {
    QueryResult result = client.query(config.query());
    List<QueryResult.Sample> samples;
    if (result instanceof QueryResult.Vector v) {
      samples = v.samples();
    } else {
      samples = List.of(new QueryResult.Sample(Map.of(), ((QueryResult.Scalar) result).value()));
    }
    if (samples.isEmpty() && !config.ignoreNullValues()) {
      throw new SignalException("empty_result",
          "load query returned no series (ignoreNullValues=false): " + config.query().promql());
    }
    List<QueryResult.Sample> kept = new ArrayList<>(samples.size());
    for (QueryResult.Sample s : samples) {
      if (Double.isFinite(s.value())) {
        kept.add(s);
      } else if (!config.ignoreNullValues()) {
        throw new SignalException("empty_result", "load series " + InstanceNames.compact(s.labels())
            + " has value " + s.value() + " (ignoreNullValues=false)");
      }
    }
    List<String> names = InstanceNames.names(kept.stream().map(QueryResult.Sample::labels).toList());
    List<LoadReading.InstanceLoad> instances = new ArrayList<>(kept.size());
    List<LoadReading.RejectedInstance> rejected = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      double v = kept.get(i).value();
      if (v < LoadReading.MIN_LOAD || v > LoadReading.MAX_LOAD) {
        // A negative instance would cancel the others' load in the sum: listed with its error instead.
        rejected.add(new LoadReading.RejectedInstance(names.get(i), v, "load " + v + " outside the accepted range ["
            + LoadReading.MIN_LOAD + ", " + LoadReading.MAX_LOAD + "]: not summed"));
      } else {
        instances.add(new LoadReading.InstanceLoad(names.get(i), v));
      }
    }
    if (instances.isEmpty() && !rejected.isEmpty()) {
      throw new SignalException("out_of_range", "every load series is outside [" + LoadReading.MIN_LOAD + ", "
          + LoadReading.MAX_LOAD + "], e.g. " + rejected.get(0).instance() + " = " + rejected.get(0).load());
    }
    return new LoadReading(instances, rejected);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.release(client);
    }
  }
}
