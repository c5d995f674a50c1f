package dev.legitscaler.scaler.signal.prometheus;

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
    for (int i = 0; i < kept.size(); i++) {
      instances.add(new LoadReading.InstanceLoad(names.get(i), kept.get(i).value()));
    }
    return new LoadReading(instances);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.release(client);
    }
  }
}
