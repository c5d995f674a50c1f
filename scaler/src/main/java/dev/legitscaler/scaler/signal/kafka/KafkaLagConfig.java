package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * KEDA's Kafka trigger keys with KEDA's semantics (kedacore/keda pkg/scalers/kafka_scaler.go, v2.20),
 * so that a ScaledObject moving from the built-in {@code kafka} trigger sees the same lag.
 *
 * <p>Client security settings never come from trigger metadata: KEDA does not forward
 * TriggerAuthentication secrets to external scalers, so they are the server's own, bound to the
 * clusters the operator declared ({@link Backends}); an undeclared cluster gets none.
 *
 * @param bootstrapServers brokers in the order given
 * @param consumerGroup the group whose lag is measured
 * @param topic the topic, or empty for "every topic the group has committed offsets for"
 * @param lagThreshold target lag per replica, > 0
 * @param activationLagThreshold active when totalLagWithPersistent is strictly greater, >= 0
 * @param offsetResetPolicy how a partition without a committed offset counts
 * @param allowIdleConsumers no cap at the partition count
 * @param excludePersistentLag a partition whose commit did not move since the previous fetch counts 0
 * @param limitToPartitionsWithLag cap at the number of partitions with lag instead of all partitions
 * @param partitionLimitation partition ids to consider (sorted, distinct); empty = every partition.
 *     Always empty without a topic (KEDA ignores the setting then)
 * @param scaleToZeroOnInvalidOffset a partition without a committed offset counts 0
 * @param ensureEvenDistributionOfPartitions round the lag up to a factor of the partition count
 * @param clientProperties extra Kafka client properties from the server settings (may hold secrets)
 */
public record KafkaLagConfig(
    List<String> bootstrapServers,
    String consumerGroup,
    Optional<String> topic,
    long lagThreshold,
    long activationLagThreshold,
    OffsetResetPolicy offsetResetPolicy,
    boolean allowIdleConsumers,
    boolean excludePersistentLag,
    boolean limitToPartitionsWithLag,
    List<Integer> partitionLimitation,
    boolean scaleToZeroOnInvalidOffset,
    boolean ensureEvenDistributionOfPartitions,
    Map<String, String> clientProperties) {

  public static final String BOOTSTRAP_SERVERS = "bootstrapServers";
  public static final String CONSUMER_GROUP = "consumerGroup";
  public static final String TOPIC = "topic";
  public static final String LAG_THRESHOLD = "lagThreshold";
  public static final String ACTIVATION_LAG_THRESHOLD = "activationLagThreshold";
  public static final String OFFSET_RESET_POLICY = "offsetResetPolicy";
  public static final String ALLOW_IDLE_CONSUMERS = "allowIdleConsumers";
  public static final String EXCLUDE_PERSISTENT_LAG = "excludePersistentLag";
  public static final String LIMIT_TO_PARTITIONS_WITH_LAG = "limitToPartitionsWithLag";
  public static final String PARTITION_LIMITATION = "partitionLimitation";
  public static final String SCALE_TO_ZERO_ON_INVALID_OFFSET = "scaleToZeroOnInvalidOffset";
  public static final String ENSURE_EVEN_DISTRIBUTION = "ensureEvenDistributionOfPartitions";

  /** KEDA's default lagThreshold. */
  public static final long DEFAULT_LAG_THRESHOLD = 10;

  /** KEDA resolves these from the target's environment, which an external scaler never sees. */
  private static final List<String> FROM_ENV_KEYS =
      List.of("bootstrapServersFromEnv", "consumerGroupFromEnv", "topicFromEnv");

  private static final String BOOL_FORM = "true or false (also 1, t, T, TRUE, True, 0, f, F, FALSE, False)";
  private static final String SERVERS_FORM = "a comma-separated list of host:port, e.g. kafka-0:9092,kafka-1:9092";
  /** Bounds the set a range can expand to (a typo like 0-2147483647 must not exhaust memory). */
  static final int MAX_PARTITION_ID = 99_999;
  private static final String PARTITIONS_FORM = "comma-separated partition ids (0 to " + MAX_PARTITION_ID
      + ") and ascending ranges, e.g. 1,2,3 or 1-4,8,10-12";

  /** KEDA's offsetResetPolicy values, case-sensitive as in KEDA. */
  public enum OffsetResetPolicy {
    LATEST, EARLIEST;

    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public KafkaLagConfig {
    bootstrapServers = List.copyOf(bootstrapServers);
    partitionLimitation = List.copyOf(new TreeSet<>(partitionLimitation));
    clientProperties = Map.copyOf(clientProperties);
    if (bootstrapServers.isEmpty()) {
      throw new IllegalArgumentException("bootstrapServers must not be empty");
    }
    if (consumerGroup == null || consumerGroup.isBlank()) {
      throw new IllegalArgumentException("consumerGroup must not be empty");
    }
    if (lagThreshold <= 0) {
      throw new IllegalArgumentException("lagThreshold must be > 0, got " + lagThreshold);
    }
    if (activationLagThreshold < 0) {
      throw new IllegalArgumentException("activationLagThreshold must be >= 0, got " + activationLagThreshold);
    }
    if (topic.isEmpty() && !partitionLimitation.isEmpty()) {
      throw new IllegalArgumentException("partitionLimitation needs a topic");
    }
  }

  /**
   * Empty when the metadata has none of bootstrapServers, consumerGroup, topic (the lag signal is off);
   * otherwise {@link #parseRequired}.
   */
  public static Optional<KafkaLagConfig> parse(Metadata md, ServerDefaults defaults) {
    return parse(md, defaults, "");
  }

  /**
   * As {@link #parse(Metadata, ServerDefaults)} for a trigger in {@code namespace}: the cluster must be
   * one the operator declared for it (see {@link Backends}), whose client properties are then used.
   */
  public static Optional<KafkaLagConfig> parse(Metadata md, ServerDefaults defaults, String namespace) {
    boolean anyKey = md.has(BOOTSTRAP_SERVERS) || md.has(CONSUMER_GROUP) || md.has(TOPIC)
        || FROM_ENV_KEYS.stream().anyMatch(md::has);
    return anyKey ? Optional.of(parseRequired(md, defaults, namespace)) : Optional.empty();
  }

  /** For offline tools: only backends declared for every namespace are usable. */
  public static KafkaLagConfig parseRequired(Metadata md, ServerDefaults defaults) {
    return parseRequired(md, defaults, "");
  }

  /**
   * Validates as KEDA's Kafka scaler does; throws {@link ConfigException} naming the key, the value and
   * the accepted form. bootstrapServers falls back to the server's default.
   */
  public static KafkaLagConfig parseRequired(Metadata md, ServerDefaults defaults, String namespace) {
    for (String key : FROM_ENV_KEYS) {
      md.string(key).ifPresent(v -> {
        throw new ConfigException(key, v, "no value: an external scaler does not receive the target's "
            + "environment; set " + key.replace("FromEnv", "") + " directly");
      });
    }
    // the servers and the client properties (credentials) come from one declared cluster, or none
    Backends.KafkaRoute route = defaults.backends().kafka(namespace, md, SERVERS_FORM, BOOTSTRAP_SERVERS);
    List<String> servers = route.bootstrapServers();
    String group = md.requiredString(CONSUMER_GROUP, "the name of the consumer group whose lag to measure");
    Optional<String> topic = md.string(TOPIC);

    long lagThreshold = parseLong(md, LAG_THRESHOLD, DEFAULT_LAG_THRESHOLD, 1, "an integer > 0");
    long activation = parseLong(md, ACTIVATION_LAG_THRESHOLD, 0, 0, "an integer >= 0");

    OffsetResetPolicy policy = OffsetResetPolicy.LATEST;
    Optional<String> policyText = md.string(OFFSET_RESET_POLICY);
    if (policyText.isPresent()) {
      policy = switch (policyText.get()) {
        case "latest" -> OffsetResetPolicy.LATEST;
        case "earliest" -> OffsetResetPolicy.EARLIEST;
        default -> throw new ConfigException(OFFSET_RESET_POLICY, policyText.get(), "latest or earliest");
      };
    }

    boolean allowIdle = goBool(md, ALLOW_IDLE_CONSUMERS);
    boolean excludePersistent = goBool(md, EXCLUDE_PERSISTENT_LAG);
    boolean scaleToZero = goBool(md, SCALE_TO_ZERO_ON_INVALID_OFFSET);
    boolean limitToLag = goBool(md, LIMIT_TO_PARTITIONS_WITH_LAG);
    if (limitToLag && allowIdle) {
      throw new ConfigException(LIMIT_TO_PARTITIONS_WITH_LAG, md.string(LIMIT_TO_PARTITIONS_WITH_LAG).get(),
          "false while allowIdleConsumers is true (the two cannot be set together)");
    }
    if (limitToLag && topic.isEmpty()) {
      throw new ConfigException(LIMIT_TO_PARTITIONS_WITH_LAG, md.string(LIMIT_TO_PARTITIONS_WITH_LAG).get(),
          "false unless topic is set (it needs a topic)");
    }
    boolean evenDistribution = goBool(md, ENSURE_EVEN_DISTRIBUTION);
    if (evenDistribution && limitToLag) {
      throw new ConfigException(ENSURE_EVEN_DISTRIBUTION, md.string(ENSURE_EVEN_DISTRIBUTION).get(),
          "false while limitToPartitionsWithLag is true (the two cannot be set together)");
    }
    if (evenDistribution && topic.isEmpty()) {
      throw new ConfigException(ENSURE_EVEN_DISTRIBUTION, md.string(ENSURE_EVEN_DISTRIBUTION).get(),
          "false unless topic is set (it needs a topic)");
    }

    // Like KEDA: without a topic the limitation is ignored (not an error).
    List<Integer> limitation = topic.isPresent()
        ? md.string(PARTITION_LIMITATION).map(KafkaLagConfig::parsePartitions).orElse(List.of())
        : List.of();

    return new KafkaLagConfig(servers, group, topic, lagThreshold, activation, policy, allowIdle,
        excludePersistent, limitToLag, limitation, scaleToZero, evenDistribution,
        route.clientProperties());
  }

  /** Parsed settings for Explain, secrets redacted. */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(BOOTSTRAP_SERVERS, String.join(",", bootstrapServers));
    d.put(CONSUMER_GROUP, consumerGroup);
    d.put(TOPIC, topic.orElse("(all topics with commits of the group)"));
    d.put(LAG_THRESHOLD, Long.toString(lagThreshold));
    d.put(ACTIVATION_LAG_THRESHOLD, Long.toString(activationLagThreshold));
    d.put(OFFSET_RESET_POLICY, offsetResetPolicy.keyword());
    d.put(ALLOW_IDLE_CONSUMERS, Boolean.toString(allowIdleConsumers));
    d.put(EXCLUDE_PERSISTENT_LAG, Boolean.toString(excludePersistentLag));
    d.put(LIMIT_TO_PARTITIONS_WITH_LAG, Boolean.toString(limitToPartitionsWithLag));
    d.put(PARTITION_LIMITATION, partitionLimitation.isEmpty() ? "(all partitions)"
        : partitionLimitation.toString());
    d.put(SCALE_TO_ZERO_ON_INVALID_OFFSET, Boolean.toString(scaleToZeroOnInvalidOffset));
    d.put(ENSURE_EVEN_DISTRIBUTION, Boolean.toString(ensureEvenDistributionOfPartitions));
    new TreeMap<>(clientProperties).forEach((k, v) -> d.put("client." + k, isSecret(k) ? "<redacted>" : v));
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Whether the Kafka client property can carry a secret (passwords, JAAS config, keys, tokens). */
  static boolean isSecret(String property) {
    String p = property.toLowerCase(Locale.ROOT);
    return p.contains("password") || p.contains("jaas") || p.contains("secret") || p.contains("token")
        || p.endsWith(".key") || p.contains("keystore.key") || p.contains("credential");
  }

  @Override
  public String toString() {
    // The record's default toString would print clientProperties, secrets included.
    return "KafkaLagConfig" + describe();
  }

  /** KEDA's partitionLimitation syntax: ids and inclusive ranges, comma-separated, spaces allowed. */
  static List<Integer> parsePartitions(String text) {
    TreeSet<Integer> ids = new TreeSet<>();
    for (String term : text.split(",", -1)) {
      String[] bounds = term.split("-", -1);
      if (bounds.length == 1) {
        ids.add(partitionId(bounds[0], text));
      } else if (bounds.length == 2) {
        int from = partitionId(bounds[0], text);
        int to = partitionId(bounds[1], text);
        if (from > to) {
          throw new ConfigException(PARTITION_LIMITATION, text, PARTITIONS_FORM);
        }
        for (int i = from; i <= to; i++) {
          ids.add(i);
        }
      } else {
        throw new ConfigException(PARTITION_LIMITATION, text, PARTITIONS_FORM);
      }
    }
    return List.copyOf(ids);
  }

  private static int partitionId(String literal, String whole) {
    try {
      int id = Integer.parseInt(literal.trim());
      if (id < 0 || id > MAX_PARTITION_ID) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new ConfigException(PARTITION_LIMITATION, whole, PARTITIONS_FORM);
    }
  }

  private static long parseLong(Metadata md, String key, long dflt, long min, String form) {
    Optional<String> v = md.string(key);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      long parsed = Long.parseLong(v.get());
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new ConfigException(key, v.get(), form);
  }

  /** Go's strconv.ParseBool, which KEDA uses for every boolean key. */
  private static boolean goBool(Metadata md, String key) {
    Optional<String> v = md.string(key);
    if (v.isEmpty()) {
      return false;
    }
    return switch (v.get()) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new ConfigException(key, v.get(), BOOL_FORM);
    };
  }
}
