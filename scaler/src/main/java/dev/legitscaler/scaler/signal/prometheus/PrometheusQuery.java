package dev.legitscaler.scaler.signal.prometheus;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One instant query as sent: the PromQL (placeholders already substituted), extra request headers and
 * query-string parameters from the trigger metadata, and the deadline for the whole HTTP exchange.
 */
public record PrometheusQuery(
    String promql, Map<String, String> headers, Map<String, String> parameters, Duration timeout) {

  public PrometheusQuery {
    Objects.requireNonNull(promql, "promql");
    // Keep the order given in the metadata: parameters are sent and described in that order.
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }
}
