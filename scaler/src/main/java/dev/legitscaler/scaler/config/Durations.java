package dev.legitscaler.scaler.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations in the Go/Kubernetes style used in manifests and flags. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private Durations() {}

  /** {@code 250ms}, {@code 5s}, {@code 1m30s}, {@code 2h}, or a bare number of seconds. */
  public static Optional<Duration> parse(String text) {
    String s = text.trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      if (s.matches("\\d+(\\.\\d+)?")) {
        return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(s) * 1e9)));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        return Optional.empty();
      }
      double n = Double.parseDouble(m.group(1));
      nanos += switch (m.group(2)) {
        case "ms" -> n * 1e6;
        case "s" -> n * 1e9;
        case "m" -> n * 60e9;
        default -> n * 3600e9;
      };
      pos = m.end();
    }
    return Optional.of(Duration.ofNanos(Math.round(nanos)));
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
