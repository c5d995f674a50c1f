package dev.legitscaler.scaler.legitimacy.prometheus;

import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.prometheus.KeyValuePairs;
import dev.legitscaler.scaler.signal.prometheus.PrometheusQuery;
import dev.legitscaler.scaler.signal.prometheus.QueryMetadata;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys of {@code legitimacySource: prometheus} (a ratio query returning the legitimate share).
 *
 * <ul>
 *   <li>{@code legitimacyQuery}: PromQL returning ONE value, the legitimate share of traffic in [0, 1]
 *       (e.g. {@code sum(rate(gateway_requests_total{verdict="ok"}[1m])) / sum(rate(gateway_requests_total[1m]))});
 *       {@code $namespace} / {@code $scaledObject} placeholders as for the load query.
 *   <li>{@code legitimacyServerAddress}: default {@code serverAddress}, then the server's Prometheus URL.
 *   <li>{@code legitimacyAttackBelow}: in [0, 1], default 0.5; a share below it declares an attack.
 *   <li>{@code timeout}, {@code customHeaders}, {@code queryParameters}: shared with the load query (one
 *       trigger, one set of Prometheus access settings).
 * </ul>
 */
public final class LegitimacyQueryConfig {
  public static final String LEGITIMACY_QUERY = "legitimacyQuery";
  public static final String LEGITIMACY_SERVER_ADDRESS = "legitimacyServerAddress";
  public static final String LEGITIMACY_ATTACK_BELOW = "legitimacyAttackBelow";
  public static final double DEFAULT_ATTACK_BELOW = 0.5;
  static final String QUERY_FORM =
      "PromQL returning one value: the legitimate share of traffic, from 0 to 1";

  private final String serverAddress;
  private final PrometheusQuery query;
  private final double attackBelow;
  private final boolean bearerToken;

  private LegitimacyQueryConfig(String serverAddress, PrometheusQuery query, double attackBelow,
      boolean bearerToken) {
    this.serverAddress = serverAddress;
    this.query = query;
    this.attackBelow = attackBelow;
    this.bearerToken = bearerToken;
  }

  public static LegitimacyQueryConfig parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    return parse(md, defaults, namespace, scaledObject, QueryMetadata.MAX_TIMEOUT);
  }

  /** As {@link #parse(Metadata, ServerDefaults, String, String)}, with {@code timeout} at most {@code maxTimeout}. */
  public static LegitimacyQueryConfig parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject,
      Duration maxTimeout) {
    String promql = QueryMetadata.query(md, LEGITIMACY_QUERY, namespace, scaledObject, QUERY_FORM);
    Backends.PrometheusRoute route = defaults.backends().prometheus(namespace, md,
        md.has(LEGITIMACY_SERVER_ADDRESS) ? LEGITIMACY_SERVER_ADDRESS : QueryMetadata.SERVER_ADDRESS);
    String address = route.address();
    double attackBelow = md.doubleValue(LEGITIMACY_ATTACK_BELOW, DEFAULT_ATTACK_BELOW, 0, false, 1);
    PrometheusQuery query = new PrometheusQuery(promql,
        KeyValuePairs.parseHeaders(md, QueryMetadata.CUSTOM_HEADERS),
        KeyValuePairs.parseQueryParameters(md, QueryMetadata.QUERY_PARAMETERS),
        QueryMetadata.timeout(md, defaults, maxTimeout));
    return new LegitimacyQueryConfig(address, query, attackBelow,
        route.backend().flatMap(Backends.Prometheus::bearerTokenFile).isPresent());
  }

  public String serverAddress() {
    return serverAddress;
  }

  public PrometheusQuery query() {
    return query;
  }

  /** A score below this declares an attack. */
  public double attackBelow() {
    return attackBelow;
  }

  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(LEGITIMACY_SERVER_ADDRESS, serverAddress);
    d.put(LEGITIMACY_QUERY, query.promql());
    d.put(LEGITIMACY_ATTACK_BELOW, Double.toString(attackBelow));
    d.put(QueryMetadata.TIMEOUT, Durations.format(query.timeout()));
    d.put(QueryMetadata.CUSTOM_HEADERS, KeyValuePairs.redactedForm(query.headers()));
    d.put(QueryMetadata.QUERY_PARAMETERS, KeyValuePairs.redactedForm(query.parameters()));
    d.put("bearerToken", bearerToken ? "<redacted> (from the server's token file)" : "none");
    return d;
  }

  @Override
  public String toString() {
    return "LegitimacyQueryConfig" + describe();
  }
}
