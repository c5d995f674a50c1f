package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metadata keys and rules shared by every Prometheus query of a trigger (load and legitimacy):
 * server address, timeout, placeholders.
 */
public final class QueryMetadata {
  public static final String SERVER_ADDRESS = "serverAddress";
  public static final String TIMEOUT = "timeout";
  public static final String CUSTOM_HEADERS = "customHeaders";
  public static final String QUERY_PARAMETERS = "queryParameters";

  // Lower bound: a few ms still means "one round trip"; upper: a refresh must end well before the
  // signal would be declared stale, and KEDA's default polling interval is 30 s.
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private static final Pattern NAMESPACE = Pattern.compile("\\$namespace(?!\\w)");
  private static final Pattern SCALED_OBJECT = Pattern.compile("\\$scaledObject(?!\\w)");
  private static final Pattern ANY_PLACEHOLDER = Pattern.compile("\\$[A-Za-z_]\\w*");

  private QueryMetadata() {}

  /** {@code timeout}, default the server's Prometheus timeout. */
  public static Duration timeout(Metadata md, ServerDefaults defaults) {
    return md.duration(TIMEOUT, defaults.prometheusTimeout(), MIN_TIMEOUT, MAX_TIMEOUT);
  }

  /**
   * {@code timeout} within the server's cap ({@code --max-upstream-timeout}): a value above it is refused,
   * not clamped, so the author sees at parse time that the trigger would not get the time it asks for.
   */
  public static Duration timeout(Metadata md, ServerDefaults defaults, Duration cap) {
    if (cap.compareTo(MAX_TIMEOUT) >= 0) {
      return timeout(md, defaults);
    }
    try {
      return md.duration(TIMEOUT, defaults.prometheusTimeout(), MIN_TIMEOUT, cap);
    } catch (ConfigException e) {
      throw new ConfigException(TIMEOUT, e.value(), e.acceptedForm() + " (the server's limit: --max-upstream-timeout "
          + Durations.format(cap) + ")");
    }
  }

  /** Replaces {@code $namespace} and {@code $scaledObject} with the ScaledObject's identity. */
  public static String substitute(String promql, String namespace, String scaledObject) {
    // Whole words only: "$namespaces" is a typo to report, not "$namespace" followed by "s".
    return NAMESPACE.matcher(promql).replaceAll(Matcher.quoteReplacement(namespace))
        .transform(q -> SCALED_OBJECT.matcher(q).replaceAll(Matcher.quoteReplacement(scaledObject)));
  }

  /** {@code key} holding PromQL; a leftover {@code $name} is most likely a misspelt placeholder. */
  public static String query(Metadata md, String key, String namespace, String scaledObject, String form) {
    String raw = md.requiredString(key, form);
    String q = substitute(raw, namespace, scaledObject);
    Matcher m = ANY_PLACEHOLDER.matcher(q);
    if (m.find()) {
      throw new ConfigException(key, raw,
          form + "; the only placeholders are $namespace and $scaledObject (found " + m.group() + ")");
    }
    return q;
  }
}
