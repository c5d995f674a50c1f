package dev.legitscaler.scaler.config;

import java.time.Duration;
import java.util.Map;

/**
 * Server-wide bounds on what trigger metadata may make the scaler hold, so that one ScaledObject
 * author cannot exhaust memory, threads or time for every other tenant. Every limit is a flag
 * (docs/security.md, "Limits").
 *
 * @param maxMetadataEntries keys per trigger metadata map
 * @param maxMetadataKeyChars characters of one key
 * @param maxMetadataValueChars characters of one value (a long PromQL query fits comfortably)
 * @param maxMetadataTotalChars characters of all keys and values of one trigger together
 * @param maxWatches watched triggers in the whole server
 * @param maxWatchesPerNamespace watched triggers of one namespace
 * @param triggerMemoryBudgetBytes estimated heap all triggers' scorer state may take together
 * @param maxTriggerMemoryBytes estimated heap one trigger's scorer state may take
 * @param maxConcurrentRefreshesPerNamespace refreshes of one namespace running at the same time: a
 *     namespace whose backends hang can occupy at most this many refresh threads
 * @param maxSeriesPerQuery series one Prometheus answer may hold
 * @param strictMetadata reject unknown metadata keys instead of reporting them
 * @param maxConcurrentRefreshesPerBackend calls to one backend (a declared Prometheus or Kafka cluster,
 *     or an undeclared address) running at the same time: a backend that hangs can occupy at most this
 *     many refresh threads, whichever namespaces use it; a further call waits, first come, first
 *     served and without holding a thread, for up to half the refresh interval, then is skipped until
 *     the next refresh
 * @param maxUpstreamTimeout the largest {@code timeout} a trigger may ask for: bounds how long one call
 *     holds a refresh thread (a larger value is refused at parse time)
 */
public record ServerLimits(
    int maxMetadataEntries,
    int maxMetadataKeyChars,
    int maxMetadataValueChars,
    int maxMetadataTotalChars,
    int maxWatches,
    int maxWatchesPerNamespace,
    long triggerMemoryBudgetBytes,
    long maxTriggerMemoryBytes,
    int maxConcurrentRefreshesPerNamespace,
    int maxSeriesPerQuery,
    boolean strictMetadata,
    int maxConcurrentRefreshesPerBackend,
    Duration maxUpstreamTimeout) {

  public static final long MIB = 1L << 20;
  /** Default of {@code --max-upstream-timeout}: KEDA's metrics adapter itself gives up after a few seconds. */
  public static final Duration DEFAULT_MAX_UPSTREAM_TIMEOUT = Duration.ofSeconds(10);

  public ServerLimits {
    if (maxMetadataEntries < 1 || maxMetadataKeyChars < 1 || maxMetadataValueChars < 1 || maxMetadataTotalChars < 1
        || maxWatches < 1 || maxWatchesPerNamespace < 1 || triggerMemoryBudgetBytes < 1 || maxTriggerMemoryBytes < 1
        || maxConcurrentRefreshesPerNamespace < 1 || maxSeriesPerQuery < 1 || maxConcurrentRefreshesPerBackend < 1
        || maxUpstreamTimeout.isNegative() || maxUpstreamTimeout.isZero()) {
      throw new IllegalArgumentException("every limit must be positive");
    }
  }

  public static ServerLimits defaults() {
    return new ServerLimits(64, 128, 16 * 1024, 64 * 1024, 20_000, 2_000, 1024 * MIB, 128 * MIB, 2, 10_000, false,
        2, DEFAULT_MAX_UPSTREAM_TIMEOUT);
  }

  public ServerLimits withStrictMetadata(boolean strict) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes,
        maxConcurrentRefreshesPerNamespace, maxSeriesPerQuery, strict, maxConcurrentRefreshesPerBackend,
        maxUpstreamTimeout);
  }

  public ServerLimits withWatches(int total, int perNamespace) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        total, perNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes, maxConcurrentRefreshesPerNamespace,
        maxSeriesPerQuery, strictMetadata, maxConcurrentRefreshesPerBackend,
        maxUpstreamTimeout);
  }

  public ServerLimits withMemory(long budgetBytes, long perTriggerBytes) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, budgetBytes, perTriggerBytes, maxConcurrentRefreshesPerNamespace,
        maxSeriesPerQuery, strictMetadata, maxConcurrentRefreshesPerBackend,
        maxUpstreamTimeout);
  }

  public ServerLimits withConcurrentRefreshesPerNamespace(int n) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes, n, maxSeriesPerQuery,
        strictMetadata, maxConcurrentRefreshesPerBackend, maxUpstreamTimeout);
  }

  public ServerLimits withMaxSeriesPerQuery(int n) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes,
        maxConcurrentRefreshesPerNamespace, n, strictMetadata, maxConcurrentRefreshesPerBackend,
        maxUpstreamTimeout);
  }

  public ServerLimits withConcurrentRefreshesPerBackend(int n) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes,
        maxConcurrentRefreshesPerNamespace, maxSeriesPerQuery, strictMetadata, n, maxUpstreamTimeout);
  }

  public ServerLimits withMaxUpstreamTimeout(Duration max) {
    return new ServerLimits(maxMetadataEntries, maxMetadataKeyChars, maxMetadataValueChars, maxMetadataTotalChars,
        maxWatches, maxWatchesPerNamespace, triggerMemoryBudgetBytes, maxTriggerMemoryBytes,
        maxConcurrentRefreshesPerNamespace, maxSeriesPerQuery, strictMetadata, maxConcurrentRefreshesPerBackend, max);
  }

  /**
   * Checks the size of a metadata map before anything else looks at it (hashing, caching, parsing).
   * The message never echoes an oversized value: it names the key and the sizes only.
   */
  public void checkMetadataSize(Map<String, String> metadata) {
    if (metadata.size() > maxMetadataEntries) {
      throw new ConfigException("scalerMetadata", "<" + metadata.size() + " keys>",
          "at most " + maxMetadataEntries + " keys");
    }
    long total = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String k = e.getKey();
      if (k.length() > maxMetadataKeyChars) {
        throw new ConfigException(k.substring(0, Math.min(k.length(), 40)) + "...", "<key of " + k.length()
            + " characters>", "a key of at most " + maxMetadataKeyChars + " characters");
      }
      int len = e.getValue().length();
      if (len > maxMetadataValueChars) {
        throw new ConfigException(k, "<" + len + " characters>", "a value of at most " + maxMetadataValueChars
            + " characters");
      }
      total += k.length() + len;
    }
    if (total > maxMetadataTotalChars) {
      throw new ConfigException("scalerMetadata", "<" + total + " characters>",
          "keys and values of at most " + maxMetadataTotalChars + " characters together");
    }
  }
}
