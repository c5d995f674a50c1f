package dev.legitscaler.scaler.legitimacy.prometheus;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClient;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;
import dev.legitscaler.scaler.signal.prometheus.QueryResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads the legitimate share of traffic from a Prometheus ratio query. score = clamp(value, 0, 1);
 * below {@code legitimacyAttackBelow} the reading declares an attack with reason
 * {@value #RATIO_LOW}. A missing or NaN/±Inf value (typically 0/0 when there is no traffic) is an
 * {@code empty_result} failure, never a guessed score: the decision then treats legitimacy as failing
 * rather than trusting a number nobody computed. More than one series is {@code bad_response}.
 */
public final class PrometheusLegitimacySource implements SignalSource<LegitimacyReading> {
  public static final String RATIO_LOW = "PROMETHEUS_RATIO_LOW";

  private final LegitimacyQueryConfig config;
  private final PrometheusClientPool pool;
  private final PrometheusClient client;
  private final AtomicBoolean closed = new AtomicBoolean();

  public PrometheusLegitimacySource(LegitimacyQueryConfig config, PrometheusClientPool pool) {
    this.config = config;
    this.pool = pool;
    this.client = pool.acquire(config.serverAddress());
  }

  @Override
  public LegitimacyReading fetch() throws SignalException {
    double ratio = singleValue(client.query(config.query()));
    if (!Double.isFinite(ratio)) {
      throw new SignalException("empty_result",
          "legitimacy query returned " + ratio + " (no traffic to judge?): " + config.query().promql());
    }
    double score = Math.max(0, Math.min(1, ratio));
    boolean attack = score < config.attackBelow();
    return new LegitimacyReading(score, attack, attack ? List.of(RATIO_LOW) : List.of(),
        Map.of("ratio", ratio), List.of(), 0.0);
  }

  private double singleValue(QueryResult result) throws SignalException {
    if (result instanceof QueryResult.Scalar s) {
      return s.value();
    }
    List<QueryResult.Sample> samples = ((QueryResult.Vector) result).samples();
    if (samples.isEmpty()) {
      throw new SignalException("empty_result",
          "legitimacy query returned no series: " + config.query().promql());
    }
    if (samples.size() > 1) {
      throw new SignalException("bad_response", "legitimacy query is ambiguous: it returned "
          + samples.size() + " series (e.g. " + samples.get(0).labels() + " and " + samples.get(1).labels()
          + "); aggregate it to one value, e.g. with sum(...) / sum(...)");
    }
    return samples.get(0).value();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.release(client);
    }
  }
}
