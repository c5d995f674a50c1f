package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.legitimacy.kafka.KafkaTrafficScorerSource;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficScorerConfig;
import dev.legitscaler.scaler.legitimacy.prometheus.LegitimacyQueryConfig;
import dev.legitscaler.scaler.legitimacy.prometheus.PrometheusLegitimacySource;
import dev.legitscaler.scaler.signal.kafka.KafkaAdminPool;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig;
import dev.legitscaler.scaler.signal.kafka.KafkaLagSource;
import dev.legitscaler.scaler.signal.prometheus.LoadConfig;
import dev.legitscaler.scaler.signal.prometheus.PrometheusClientPool;
import dev.legitscaler.scaler.signal.prometheus.PrometheusLoadSource;
import java.time.Clock;
import java.util.Optional;

/**
 * The production factory: the real Prometheus and Kafka sources over the server's shared client pools
 * (one Prometheus HTTP client per address, one Kafka Admin client per bootstrap + security settings).
 * Owns the pools and closes them.
 */
public final class BackendSignalFactory implements SignalFactory, AutoCloseable {
  private final ServerDefaults defaults;
  private final ServerLimits limits;
  private final Clock clock;
  private final PrometheusClientPool prometheus;
  private final KafkaAdminPool kafka;

  public BackendSignalFactory(ServerDefaults defaults, Clock clock) {
    this(defaults, ServerLimits.defaults(), clock);
  }

  public BackendSignalFactory(ServerDefaults defaults, ServerLimits limits, Clock clock) {
    this.defaults = defaults;
    this.limits = limits;
    this.clock = clock;
    this.prometheus = new PrometheusClientPool(defaults, limits.maxSeriesPerQuery());
    this.kafka = new KafkaAdminPool(defaults);
  }

  @Override
  public Optional<SignalFamilies.Load> load(Metadata md, String namespace, String scaledObject) {
    return LoadConfig.parse(md, defaults, namespace, scaledObject, limits.maxUpstreamTimeout())
        .map(c -> SignalFamilies.Load.of(c, () -> new PrometheusLoadSource(c, prometheus),
            Optional.of(defaults.backends().prometheusIdentity(c.serverAddress()))));
  }

  @Override
  public Optional<SignalFamilies.Lag> lag(Metadata md, String namespace, String scaledObject) {
    return KafkaLagConfig.parse(md, defaults, namespace)
        .map(c -> SignalFamilies.Lag.of(c, () -> new KafkaLagSource(c, kafka),
            Optional.of(defaults.backends().kafkaIdentity(c.bootstrapServers()))));
  }

  @Override
  public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String namespace,
      String scaledObject) {
    return switch (kind) {
      case PROMETHEUS -> {
        LegitimacyQueryConfig c = LegitimacyQueryConfig.parse(md, defaults, namespace, scaledObject,
            limits.maxUpstreamTimeout());
        yield SignalFamilies.Legitimacy.of(c, () -> new PrometheusLegitimacySource(c, prometheus),
            Optional.of(defaults.backends().prometheusIdentity(c.serverAddress())));
      }
      case KAFKA -> {
        TrafficScorerConfig c = TrafficScorerConfig.parse(md, defaults, namespace, scaledObject);
        long bytes = TrafficScorerConfig.checkFootprint(md, c.scorer(), limits.maxTriggerMemoryBytes());
        yield SignalFamilies.Legitimacy.of(c, () -> new KafkaTrafficScorerSource(c, defaults, clock), bytes,
            Optional.of(defaults.backends().kafkaIdentity(Backends.normalizeServers(c.bootstrapServers()))));
      }
      case NONE -> throw new IllegalArgumentException("legitimacySource none has no source");
    };
  }

  /** The shared Prometheus clients (read by tests and diagnostics: one client per address in use). */
  public PrometheusClientPool prometheusPool() {
    return prometheus;
  }

  /** The shared Kafka Admin clients (one per bootstrap + client properties in use). */
  public KafkaAdminPool kafkaPool() {
    return kafka;
  }

  @Override
  public void close() {
    prometheus.close();
    kafka.close();
  }
}
