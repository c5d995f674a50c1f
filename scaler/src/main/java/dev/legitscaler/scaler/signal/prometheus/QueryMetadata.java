package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
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

  static final String ADDRESS_FORM =
      "an http:// or https:// URL of the Prometheus server without credentials or query string, "
          + "e.g. http://prometheus.monitoring:9090";
  // Lower bound: a few ms still means "one round trip"; upper: a refresh must end well before the
  // signal would be declared stale, and KEDA's default polling interval is 30 s.
  static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private static final Pattern NAMESPACE = Pattern.compile("\\$namespace(?!\\w)");
  private static final Pattern SCALED_OBJECT = Pattern.compile("\\$scaledObject(?!\\w)");
  private static final Pattern ANY_PLACEHOLDER = Pattern.compile("\\$[A-Za-z_]\\w*");

  private QueryMetadata() {}

  /**
   * The server address under {@code key}, else {@code fallback}; normalized (lower-case scheme and host,
   * no trailing slash) so that equal servers share one pooled client.
   */
  public static String serverAddress(Metadata md, String key, Optional<String> fallback) {
    Optional<String> given = md.string(key);
    String raw = given.or(() -> fallback.map(String::trim).filter(s -> !s.isEmpty()))
        .orElseThrow(() -> new ConfigException(key, null,
            ADDRESS_FORM + " (or set the server's default Prometheus URL)"));
    return normalizeAddress(key, raw);
  }

  static String normalizeAddress(String key, String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, raw, ADDRESS_FORM);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ConfigException(key, raw, ADDRESS_FORM);
    }
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw new ConfigException(key, raw, ADDRESS_FORM + " (port from 1 to 65535)");
    }
    if (uri.getRawUserInfo() != null) {
      // Never echo credentials back into a KEDA event.
      throw new ConfigException(key, scheme + "://<redacted>@" + uri.getHost(), ADDRESS_FORM);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(key, raw, ADDRESS_FORM + " (use queryParameters for parameters)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
  }

  /** {@code timeout}, default the server's Prometheus timeout. */
  public static Duration timeout(Metadata md, ServerDefaults defaults) {
    return md.duration(TIMEOUT, defaults.prometheusTimeout(), MIN_TIMEOUT, MAX_TIMEOUT);
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
