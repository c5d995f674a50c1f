package dev.legitscaler.scaler.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Metadata keys no parser looked at: typos ({@code targetLaod}) or keys that do nothing with the other
 * settings. Each gets the closest key that was read, by edit distance, as a suggestion.
 */
public final class UnknownKeys {
  /** Keys KEDA itself reads from an external trigger's metadata; never reported. */
  static final Set<String> KEDA_KEYS = Set.of("scalerAddress", "tlsCertFile", "caCert", "tlsClientCert",
      "tlsClientKey", "unsafeSsl", "enableTLS");

  private UnknownKeys() {}

  /** Unknown key -> closest consulted key (or "" when nothing is close). */
  public static Map<String, String> find(Map<String, String> metadata, Collection<String> consulted) {
    Map<String, String> unknown = new TreeMap<>();
    for (String k : metadata.keySet()) {
      if (!consulted.contains(k) && !KEDA_KEYS.contains(k)) {
        unknown.put(k, closest(k, consulted).orElse(""));
      }
    }
    return unknown;
  }

  /** The candidate with the smallest edit distance, if that distance is at most a third of the key's length. */
  static Optional<String> closest(String key, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(key.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, key.length() / 3) ? Optional.of(best) : Optional.empty();
  }

  /** Damerau-Levenshtein distance (optimal string alignment): a swap of two letters counts 1. */
  static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** How an unknown key is reported (Explain, log, INVALID_ARGUMENT in strict mode). */
  public static String describe(String key, String suggestion) {
    return suggestion.isEmpty() ? "unknown key '" + key + "' is ignored"
        : "unknown key '" + key + "' is ignored; did you mean '" + suggestion + "'?";
  }
}
