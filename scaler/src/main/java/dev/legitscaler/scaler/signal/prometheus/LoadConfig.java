package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The load family of trigger metadata.
 *
 * <ul>
 *   <li>{@code serverAddress}: Prometheus base URL; default the server's Prometheus URL.
 *   <li>{@code loadQuery}: PromQL returning one series per instance, value = saturation ratio (1.0 =
 *       100 %); {@code $namespace} and {@code $scaledObject} are replaced by the ScaledObject's. Absent
 *       = load signal off.
 *   <li>{@code targetLoad}: per-instance target in (0, 1], default 0.7. Saturation stops at 1.0, so a
 *       target above 1 could never be exceeded and would never scale up.
 *   <li>{@code timeout}: query timeout (10ms..2m), default the server's Prometheus timeout.
 *   <li>{@code customHeaders}, {@code queryParameters}: KEDA's {@code k1=v1,k2=v2} format.
 *   <li>{@code ignoreNullValues}: default true, KEDA's semantics: true = an empty result is zero
 *       instances and NaN/±Inf series are dropped; false = either is an {@code empty_result} error.
 * </ul>
 */
public final class LoadConfig {
  public static final String LOAD_QUERY = "loadQuery";
  public static final String TARGET_LOAD = "targetLoad";
  public static final String IGNORE_NULL_VALUES = "ignoreNullValues";
  public static final double DEFAULT_TARGET_LOAD = 0.7;
  public static final double MIN_TARGET_LOAD = 0.001;
  static final String LOAD_QUERY_FORM =
      "PromQL returning one series per instance whose value is its saturation ratio (1.0 = 100 %)";

  private final String serverAddress;
  private final PrometheusQuery query;
  private final double targetLoad;
  private final boolean ignoreNullValues;
  private final boolean bearerToken;

  private LoadConfig(String serverAddress, PrometheusQuery query, double targetLoad,
      boolean ignoreNullValues, boolean bearerToken) {
    this.serverAddress = serverAddress;
    this.query = query;
    this.targetLoad = targetLoad;
    this.ignoreNullValues = ignoreNullValues;
    this.bearerToken = bearerToken;
  }

  /**
   * Empty when the load signal is off (no loadQuery in the metadata); otherwise the validated config
   * with {@code $namespace} / {@code $scaledObject} substituted. Throws ConfigException on bad values.
   */
  public static Optional<LoadConfig> parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    return parse(md, defaults, namespace, scaledObject, QueryMetadata.MAX_TIMEOUT);
  }

  /** As {@link #parse(Metadata, ServerDefaults, String, String)}, with {@code timeout} at most {@code maxTimeout}. */
  public static Optional<LoadConfig> parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject,
      Duration maxTimeout) {
    if (!md.has(LOAD_QUERY)) {
      return Optional.empty();
    }
    String promql = QueryMetadata.query(md, LOAD_QUERY, namespace, scaledObject, LOAD_QUERY_FORM);
    Backends.PrometheusRoute route = defaults.backends().prometheus(namespace, md, QueryMetadata.SERVER_ADDRESS);
    String address = route.address();
    // Lower bound: demand is load / targetLoad; below a thousandth it only amplifies noise, and the
    // load encoding publishes targetLoad in thousandths (a smaller one would be a target of 0).
    double target = md.doubleValue(TARGET_LOAD, DEFAULT_TARGET_LOAD, MIN_TARGET_LOAD, false, 1);
    Duration timeout = QueryMetadata.timeout(md, defaults, maxTimeout);
    Map<String, String> headers = KeyValuePairs.parseHeaders(md, QueryMetadata.CUSTOM_HEADERS);
    Map<String, String> params = KeyValuePairs.parseQueryParameters(md, QueryMetadata.QUERY_PARAMETERS);
    boolean ignoreNull = md.bool(IGNORE_NULL_VALUES, true);
    return Optional.of(new LoadConfig(address, new PrometheusQuery(promql, headers, params, timeout),
        target, ignoreNull, route.backend().flatMap(Backends.Prometheus::bearerTokenFile).isPresent()));
  }

  /** Per-instance target load (default 0.7). */
  public double targetLoad() {
    return targetLoad;
  }

  /** Normalized Prometheus base URL: the pool key. */
  public String serverAddress() {
    return serverAddress;
  }

  /** The query as sent, placeholders substituted. */
  public PrometheusQuery query() {
    return query;
  }

  public boolean ignoreNullValues() {
    return ignoreNullValues;
  }

  /** Parsed settings for Explain, secrets redacted. */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(QueryMetadata.SERVER_ADDRESS, serverAddress);
    d.put(LOAD_QUERY, query.promql());
    d.put(TARGET_LOAD, Double.toString(targetLoad));
    d.put(QueryMetadata.TIMEOUT, Durations.format(query.timeout()));
    d.put(QueryMetadata.CUSTOM_HEADERS, KeyValuePairs.redactedForm(query.headers()));
    d.put(QueryMetadata.QUERY_PARAMETERS, KeyValuePairs.redactedForm(query.parameters()));
    d.put(IGNORE_NULL_VALUES, Boolean.toString(ignoreNullValues));
    d.put("bearerToken", bearerToken ? KeyValuePairs.REDACTED + " (from the server's token file)" : "none");
    return d;
  }

  @Override
  public String toString() {
    return "LoadConfig" + describe();
  }
}
