package dev.legitscaler.scaler.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed, validating read access to a trigger's {@code metadata} map (KEDA passes every value as a
 * string). Every getter either returns a value or throws {@link ConfigException} naming the key, the
 * value and the accepted form. Values are trimmed; an empty value counts as absent, like KEDA does.
 */
public final class Metadata {
  private static final java.util.regex.Pattern DECIMAL =
      java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,3})?");
  private final Map<String, String> values;
  // Every key a parser asked for, whether present or not: the rest are unknown (typos).
  private final Set<String> consulted = ConcurrentHashMap.newKeySet();

  public Metadata(Map<String, String> values) {
    this.values = Map.copyOf(new TreeMap<>(values));
  }

  public Map<String, String> asMap() {
    return values;
  }

  public boolean has(String key) {
    return string(key).isPresent();
  }

  /** Keys asked for so far (present or not). */
  public Set<String> consulted() {
    return Set.copyOf(consulted);
  }

  public Optional<String> string(String key) {
    consulted.add(key);
    String v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    v = v.trim();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public String requiredString(String key, String acceptedForm) {
    return string(key).orElseThrow(() -> new ConfigException(key, null, acceptedForm));
  }

  public boolean bool(String key, boolean dflt) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key, v.get(), "true or false");
    };
  }

  public long longValue(String key, long dflt, long minInclusive, long maxInclusive) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    String form = "an integer from " + minInclusive + " to " + maxInclusive;
    long parsed;
    try {
      parsed = Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v.get(), form);
    }
    if (parsed < minInclusive || parsed > maxInclusive) {
      throw new ConfigException(key, v.get(), form);
    }
    return parsed;
  }

  public int intValue(String key, int dflt, int minInclusive, int maxInclusive) {
    return (int) longValue(key, dflt, minInclusive, maxInclusive);
  }

  /** A finite decimal number in [min, max]; {@code minExclusive} makes the lower bound strict. */
  public double doubleValue(String key, double dflt, double min, boolean minExclusive, double max) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    String form = "a decimal number " + (minExclusive ? "> " : ">= ") + fmt(min) + " and <= " + fmt(max);
    double parsed;
    // Double.parseDouble also takes 0x1p-2, 0.7f, 1d and Infinity: not what a ScaledObject author means.
    if (!DECIMAL.matcher(v.get()).matches()) {
      throw new ConfigException(key, v.get(), form);
    }
    try {
      parsed = Double.parseDouble(v.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v.get(), form);
    }
    if (!Double.isFinite(parsed) || parsed > max || (minExclusive ? parsed <= min : parsed < min)) {
      throw new ConfigException(key, v.get(), form);
    }
    return parsed;
  }

  /**
   * A duration as Go/Kubernetes writes it ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}), or a bare
   * number of seconds; must lie within [min, max].
   */
  public Duration duration(String key, Duration dflt, Duration min, Duration max) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    String form = "a duration such as 500ms, 5s, 2m or 1h between " + Durations.format(min) + " and "
        + Durations.format(max);
    Duration d = Durations.parse(v.get()).orElseThrow(() -> new ConfigException(key, v.get(), form));
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new ConfigException(key, v.get(), form);
    }
    return d;
  }

  /** One of a closed set of words (case-insensitive); returns the canonical lowercase word. */
  public String oneOf(String key, String dflt, String... accepted) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    for (String a : accepted) {
      if (a.equalsIgnoreCase(v.get())) {
        return a;
      }
    }
    throw new ConfigException(key, v.get(), "one of " + String.join(", ", accepted));
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
