package dev.legitscaler.scaler.config;

import java.util.Locale;

/**
 * Metric names published to KEDA: {@code legitscaler-<namespace>-<name>-<hash>}, lowercase
 * {@code [a-z0-9-]}, at most 63 characters. The metadata hash keeps two triggers of one ScaledObject
 * apart; the name is the same for the same trigger across restarts and scaler replicas.
 */
public final class MetricNames {
  private static final int MAX_LENGTH = 63;
  private static final String PREFIX = "legitscaler-";

  private MetricNames() {}

  public static String of(String namespace, String name, String metadataHash) {
    String body = sanitize(namespace) + "-" + sanitize(name);
    int room = MAX_LENGTH - PREFIX.length() - 1 - metadataHash.length();
    if (body.length() > room) {
      body = body.substring(0, room);
    }
    body = body.replaceAll("-+$", "");
    return PREFIX + body + "-" + metadataHash;
  }

  static String sanitize(String s) {
    String lower = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
    lower = lower.replaceAll("^-+|-+$", "");
    return lower.isEmpty() ? "x" : lower;
  }
}
