package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * KEDA's {@code key1=value1,key2=value2} format, used by {@code customHeaders} and
 * {@code queryParameters}. Like KEDA: pairs split on commas, each pair on its first {@code =}, both
 * sides trimmed. Unlike KEDA we refuse empty keys and duplicates instead of silently keeping one.
 */
public final class KeyValuePairs {
  static final String FORM = "comma-separated key=value pairs, e.g. key1=value1,key2=value2";
  // RFC 9110 token characters: what an HTTP header name may contain.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // java.net.http refuses to set these itself; a clear config error beats an IllegalArgumentException
  // at the first refresh.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade");
  static final String REDACTED = "<redacted>";

  private KeyValuePairs() {}

  /** Parses {@code key} from the metadata; empty map when absent. */
  public static Map<String, String> parse(Metadata md, String key) {
    return md.string(key).map(v -> parse(key, v)).orElse(Map.of());
  }

  static Map<String, String> parse(String key, String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : text.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(key, redactRaw(text), FORM + " (a pair has no '=')");
      }
      String k = pair.substring(0, eq).trim();
      String v = pair.substring(eq + 1).trim();
      if (k.isEmpty()) {
        throw new ConfigException(key, redactRaw(text), FORM + " (a pair has an empty key)");
      }
      if (out.putIfAbsent(k, v) != null) {
        throw new ConfigException(key, redactRaw(text), FORM + " (key '" + k + "' appears twice)");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code customHeaders}: names must be valid HTTP header names that the client may set. */
  public static Map<String, String> parseHeaders(Metadata md, String key) {
    Map<String, String> headers = parse(md, key);
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = e.getKey();
      if (!HEADER_NAME.matcher(name).matches() || RESTRICTED_HEADERS.contains(name.toLowerCase())) {
        throw new ConfigException(key, redactedForm(headers),
            FORM + " where each key is an HTTP header name other than "
                + String.join(", ", RESTRICTED_HEADERS.stream().sorted().toList())
                + " (got '" + name + "')");
      }
      if (e.getValue().chars().anyMatch(c -> c < 0x20 || c >= 0x7f)) { // HTTP/1.1 header values: printable ASCII
        throw new ConfigException(key, redactedForm(headers),
            FORM + " with printable ASCII values, no control characters (header '" + name + "')");
      }
    }
    return headers;
  }

  /** {@code queryParameters}: any names except {@code query}, which the scaler sets itself. */
  public static Map<String, String> parseQueryParameters(Metadata md, String key) {
    Map<String, String> params = parse(md, key);
    if (params.containsKey("query")) {
      throw new ConfigException(key, redactedForm(params),
          FORM + " not containing 'query' (the query comes from the query key)");
    }
    return params;
  }

  /**
   * The map as KEDA writes it with every value replaced by {@code <redacted>}: names show what is set,
   * values may be credentials whatever their name ({@code X-Auth-Key}, {@code sig}, ...).
   */
  public static String redactedForm(Map<String, String> pairs) {
    StringBuilder sb = new StringBuilder();
    for (String name : pairs.keySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(name).append('=').append(REDACTED);
    }
    return sb.toString();
  }

  /**
   * The text as given with every value replaced, for error messages (they end up in KEDA events). A
   * piece without {@code =} is replaced whole: it may be a value that lost its name.
   */
  private static String redactRaw(String text) {
    StringBuilder sb = new StringBuilder();
    for (String pair : text.split(",", -1)) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      int eq = pair.indexOf('=');
      sb.append(eq >= 0 ? pair.substring(0, eq).trim() + "=" + REDACTED : REDACTED);
    }
    return sb.toString();
  }
}
