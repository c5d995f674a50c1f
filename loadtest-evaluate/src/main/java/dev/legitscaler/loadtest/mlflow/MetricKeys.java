package dev.legitscaler.loadtest.mlflow;

/** MLflow accepts alphanumerics, underscores, dashes, periods, spaces and slashes in keys. */
final class MetricKeys {
  private MetricKeys() {}

  static String sanitize(String key) {
    String s = key.replaceAll("[^A-Za-z0-9_\\-./ ]", "_");
    return s.length() > 250 ? s.substring(0, 250) : s;
  }
}
