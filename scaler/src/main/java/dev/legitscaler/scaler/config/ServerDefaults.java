package dev.legitscaler.scaler.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Server-wide settings (flags / environment) that trigger metadata may omit, so a ScaledObject can
 * stay short. Secrets are never here as values: only the files that hold them.
 *
 * @param prometheusUrl default {@code serverAddress} for the load and legitimacy queries
 * @param prometheusBearerTokenFile file whose content is sent as {@code Authorization: Bearer ...}
 * @param prometheusTimeout default Prometheus query timeout
 * @param kafkaBootstrapServers default {@code bootstrapServers}
 * @param kafkaClientProperties extra Kafka client properties (security.protocol, sasl.*, ssl.*),
 *     loaded from a properties file; values of keys holding secrets are read from files there too
 * @param refreshInterval default background refresh interval of a Watch
 * @param staleAfter default age after which a signal counts as stale
 * @param watchIdleExpiry a Watch that KEDA has not asked about for this long is closed
 * @param backends the declared backends: the only destinations server credentials are sent to
 */
public record ServerDefaults(
    Optional<String> prometheusUrl,
    Optional<Path> prometheusBearerTokenFile,
    Duration prometheusTimeout,
    Optional<String> kafkaBootstrapServers,
    Map<String, String> kafkaClientProperties,
    Duration refreshInterval,
    Duration staleAfter,
    Duration watchIdleExpiry,
    Backends backends) {

  public ServerDefaults {
    kafkaClientProperties = Map.copyOf(kafkaClientProperties);
  }

  /**
   * The single-backend settings only: the Prometheus URL and the Kafka servers become the declared
   * default backends (for every namespace) with their credentials; any other address is reached without
   * credentials. The server's own flags use the canonical constructor, which refuses other addresses.
   */
  public ServerDefaults(Optional<String> prometheusUrl, Optional<Path> prometheusBearerTokenFile,
      Duration prometheusTimeout, Optional<String> kafkaBootstrapServers, Map<String, String> kafkaClientProperties,
      Duration refreshInterval, Duration staleAfter, Duration watchIdleExpiry) {
    this(prometheusUrl, prometheusBearerTokenFile, prometheusTimeout, kafkaBootstrapServers, kafkaClientProperties,
        refreshInterval, staleAfter, watchIdleExpiry,
        Backends.fromFlags(prometheusUrl, prometheusBearerTokenFile, kafkaBootstrapServers, kafkaClientProperties, true));
  }

  /** Defaults with no backend configured: every signal must come from metadata. */
  public static ServerDefaults none() {
    return new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
        Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
  }
}
