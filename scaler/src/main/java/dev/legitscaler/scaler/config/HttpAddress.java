package dev.legitscaler.scaler.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The normal form of an HTTP server address (lower-case scheme and host, explicit port kept, no
 * trailing slash), so that a declared backend and a trigger's address compare as equal strings.
 */
public final class HttpAddress {
  public static final String FORM =
      "an http:// or https:// URL of the Prometheus server without credentials or query string, "
          + "e.g. http://prometheus.monitoring:9090";

  private HttpAddress() {}

  /** Normalizes {@code raw}; throws {@link ConfigException} naming {@code key} when it is not such a URL. */
  public static String normalize(String key, String raw) {
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw new ConfigException(key, raw, FORM);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new ConfigException(key, raw, FORM);
    }
    if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
      throw new ConfigException(key, raw, FORM + " (port from 1 to 65535)");
    }
    if (uri.getRawUserInfo() != null) {
      // Never echo credentials back into a KEDA event.
      throw new ConfigException(key, scheme + "://<redacted>@" + uri.getHost(), FORM);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(key, raw, FORM + " (use queryParameters for parameters)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
  }
}
