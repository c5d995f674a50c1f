package dev.legitscaler.scaler.source;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.MetricNames;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.UnknownKeys;
import dev.legitscaler.scaler.config.WatchKey;
import dev.legitscaler.scaler.decision.DecisionPolicy;
import dev.legitscaler.scaler.decision.LegitimacyMode;
import dev.legitscaler.scaler.decision.MetricEncoding;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One trigger's configuration, parsed and validated once when its Watch is created. Everything the
 * metric spec needs is here, so GetMetricSpec never touches a backend.
 *
 * @param namespace the ScaledObject's namespace
 * @param name the ScaledObject's name
 * @param key registry key: namespace/name + metadata hash
 * @param metricName the metric name published to KEDA (lowercase {@code [a-z0-9-]})
 */
public record ScalerConfig(
    String namespace,
    String name,
    WatchKey key,
    String metricName,
    Optional<SignalFamilies.Load> load,
    Optional<SignalFamilies.Lag> lag,
    Optional<SignalFamilies.Legitimacy> legitimacy,
    LegitimacySourceKind legitimacySource,
    DecisionPolicy policy,
    Duration staleAfter,
    Duration refreshInterval,
    Map<String, String> unknownKeys) {

  public ScalerConfig {
    unknownKeys = Map.copyOf(unknownKeys);
  }

  public static final String MIN_REPLICAS = "minReplicas";
  public static final String MAX_REPLICAS = "maxReplicas";
  public static final String METRIC_ENCODING = "metricEncoding";
  public static final String ACTIVATION_THRESHOLD = "activationThreshold";
  public static final String STALE_AFTER = "staleAfter";
  public static final String REFRESH_INTERVAL = "refreshInterval";
  public static final String HOLD_UNSCORED_INCREASE = "holdUnscoredIncrease";
  public static final String LEGITIMACY_SOURCE = "legitimacySource";
  public static final String LEGITIMACY_MODE = "legitimacyMode";

  private static final int REPLICA_LIMIT = 10_000;
  static final long MAX_LOAD_ENCODED_LAG_THRESHOLD = (1L << 53) / 1000;

  /** Parses the decision keys and, through {@code signals}, the signal families. */
  public static ScalerConfig parse(String namespace, String name, Map<String, String> metadata,
      ServerDefaults defaults, SignalFactory signals) {
    return parse(namespace, name, metadata, defaults, signals, false);
  }

  /**
   * As {@link #parse(String, String, Map, ServerDefaults, SignalFactory)}; with {@code strict}, a key no
   * parser reads is rejected (naming the closest known key) instead of reported in {@link #unknownKeys}.
   */
  public static ScalerConfig parse(String namespace, String name, Map<String, String> metadata,
      ServerDefaults defaults, SignalFactory signals, boolean strict) {
    Metadata md = new Metadata(metadata);
    WatchKey key = WatchKey.of(namespace, name, metadata);

    int min = md.intValue(MIN_REPLICAS, 4, 0, REPLICA_LIMIT);
    int max = md.intValue(MAX_REPLICAS, Math.max(6, min), 1, REPLICA_LIMIT);
    if (max < min) {
      throw new ConfigException(MAX_REPLICAS, md.string(MAX_REPLICAS).orElse(Integer.toString(max)),
          "an integer >= minReplicas (" + min + ") and <= " + REPLICA_LIMIT);
    }
    String encoding = md.oneOf(METRIC_ENCODING, "replicas", "replicas", "load");
    double activation = md.doubleValue(ACTIVATION_THRESHOLD, 0, 0, false, 1e9);
    Duration refresh = md.duration(REFRESH_INTERVAL, defaults.refreshInterval(), Duration.ofMillis(100),
        Duration.ofMinutes(10));
    Duration stale = md.duration(STALE_AFTER, defaults.staleAfter(), Duration.ofSeconds(1), Duration.ofHours(1));
    if (stale.compareTo(refresh) <= 0) {
      throw new ConfigException(STALE_AFTER, md.string(STALE_AFTER).orElse(Durations.format(stale)),
          "a duration longer than refreshInterval (" + Durations.format(refresh) + ")");
    }
    boolean hold = md.bool(HOLD_UNSCORED_INCREASE, true);
    LegitimacySourceKind source = LegitimacySourceKind.valueOf(
        md.oneOf(LEGITIMACY_SOURCE, "none", "none", "prometheus", "kafka").toUpperCase(java.util.Locale.ROOT));
    LegitimacyMode mode = LegitimacyMode.valueOf(
        md.oneOf(LEGITIMACY_MODE, "enforce", "enforce", "shadow").toUpperCase(java.util.Locale.ROOT));

    Optional<SignalFamilies.Load> load = signals.load(md, namespace, name);
    Optional<SignalFamilies.Lag> lag = signals.lag(md, namespace, name);
    if (load.isEmpty() && lag.isEmpty()) {
      throw new ConfigException("loadQuery", null,
          "at least one demand signal: loadQuery (Prometheus load) or bootstrapServers, consumerGroup and topic"
              + " (Kafka lag)");
    }
    Optional<SignalFamilies.Legitimacy> legit = source == LegitimacySourceKind.NONE
        ? Optional.empty()
        : Optional.of(signals.legitimacy(source, md, namespace, name));

    double targetLoad = load.map(SignalFamilies.Load::targetLoad).orElse(0.0);
    long lagThreshold = lag.map(SignalFamilies.Lag::lagThreshold).orElse(0L);
    if (encoding.equals("load") && load.isEmpty() && lagThreshold > MAX_LOAD_ENCODED_LAG_THRESHOLD) {
      // published as lagThreshold x 1000 in a double: beyond 2^53 it is no longer exact, then overflows
      throw new ConfigException("lagThreshold", Long.toString(lagThreshold),
          "with metricEncoding load, an integer up to " + MAX_LOAD_ENCODED_LAG_THRESHOLD);
    }
    MetricEncoding enc = encoding.equals("load")
        ? new MetricEncoding.LoadPerMille(load.isPresent() ? targetLoad : lagThreshold)
        : new MetricEncoding.Replicas();
    DecisionPolicy policy = new DecisionPolicy(min, max, enc, activation, hold, mode, targetLoad, lagThreshold);
    Map<String, String> unknown = UnknownKeys.find(metadata, md.consulted());
    if (strict && !unknown.isEmpty()) {
      Map.Entry<String, String> first = unknown.entrySet().iterator().next();
      throw new ConfigException(first.getKey(), md.string(first.getKey()).orElse(""),
          "no such key with these settings" + (first.getValue().isEmpty() ? "" : "; did you mean '"
              + first.getValue() + "'?") + " (the server rejects unknown keys: --strict-metadata)");
    }
    return new ScalerConfig(namespace, name, key, MetricNames.of(namespace, name, key.metadataHash()), load, lag,
        legit, source, policy, stale, refresh, unknown);
  }

  /** Every parsed setting as key -> value for Explain (secrets are redacted by each family). */
  public Map<String, String> describe() {
    Map<String, String> m = new TreeMap<>();
    load.ifPresent(l -> l.settings().forEach((k, v) -> m.put("load." + k, v)));
    lag.ifPresent(l -> l.settings().forEach((k, v) -> m.put("lag." + k, v)));
    legitimacy.ifPresent(l -> l.settings().forEach((k, v) -> m.put("legitimacy." + k, v)));
    m.put(MIN_REPLICAS, Integer.toString(policy.minReplicas()));
    m.put(MAX_REPLICAS, Integer.toString(policy.maxReplicas()));
    m.put(METRIC_ENCODING, policy.encoding().keyword());
    m.put(ACTIVATION_THRESHOLD, Double.toString(policy.activationThreshold()));
    m.put(STALE_AFTER, Durations.format(staleAfter));
    m.put(REFRESH_INTERVAL, Durations.format(refreshInterval));
    m.put(HOLD_UNSCORED_INCREASE, Boolean.toString(policy.holdUnscoredIncrease()));
    m.put(LEGITIMACY_SOURCE, legitimacySource.keyword());
    m.put(LEGITIMACY_MODE, policy.legitimacyMode().keyword());
    m.put("targetLoad", load.isPresent() ? Double.toString(policy.targetLoad()) : "-");
    m.put("lagThreshold", lag.isPresent() ? Long.toString(policy.lagThreshold()) : "-");
    unknownKeys.forEach((k, suggestion) -> m.put("unknownKey." + k, UnknownKeys.describe(k, suggestion)));
    return m;
  }

  /** Estimated heap of the trigger's sources' own state (the Kafka scorer's sketches), for the memory budget. */
  public long estimatedBytes() {
    return legitimacy.map(SignalFamilies.Legitimacy::estimatedBytes).orElse(0L);
  }

  /** The per-replica target in GetMetricSpec: 1 (replicas) or the load unit × 1000. */
  public double target() {
    return policy.encoding().target();
  }
}
