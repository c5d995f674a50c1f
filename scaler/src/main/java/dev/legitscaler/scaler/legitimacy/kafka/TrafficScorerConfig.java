package dev.legitscaler.scaler.legitimacy.kafka;

import dev.legitscaler.scaler.config.Backends;
import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Durations;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.AccessLog;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat.Requests;
import dev.legitscaler.scaler.legitimacy.scoring.ScorerFootprint;
import dev.legitscaler.scaler.legitimacy.scoring.ScorerParameters;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import dev.legitscaler.scaler.legitimacy.scoring.DimensionParameters;

/**
 * Keys of {@code legitimacySource: kafka} (request topic or access-log topic, identity header, ...).
 * Every key, its default and the reasoning behind it are in docs/legitimacy.md.
 */
public final class TrafficScorerConfig {
  public static final String BOOTSTRAP_SERVERS = "legitimacyBootstrapServers";
  public static final String TOPIC = "legitimacyTopic";
  public static final String CONSUMER_GROUP = "legitimacyConsumerGroup";
  public static final String RECORD_KIND = "legitimacyRecordKind";
  public static final String CLIENT_ID_HEADER = "legitimacyClientIdHeader";
  public static final String VALIDITY_HEADER = "legitimacyValidityHeader";
  public static final String CLIENT_ID_FIELD = "legitimacyClientIdField";
  public static final String STATUS_FIELD = "legitimacyStatusField";
  public static final String TIMESTAMP_FIELD = "legitimacyTimestampField";
  public static final String INVALID_STATUS = "legitimacyInvalidStatus";
  public static final String MODE = "legitimacyMode";
  public static final String BUCKET = "legitimacyBucket";
  public static final String WINDOW_BUCKETS = "legitimacyWindowBuckets";
  public static final String CLEAR_AFTER = "legitimacyClearAfter";
  public static final String KNOWN_CLIENTS_CAPACITY = "legitimacyKnownClientsCapacity";
  public static final String KNOWN_CLIENTS_RETENTION = "legitimacyKnownClientsRetention";
  public static final String MIN_AGREEING_SIGNALS = "legitimacyMinAgreeingSignals";
  public static final String SURGE_FACTOR = "legitimacySurgeFactor";
  public static final String HEAVY_RATE_FACTOR = "legitimacyHeavyRateFactor";

  public static final String DIMENSIONS = "legitimacyDimensions";
  public static final String ADDRESS_HEADER = "legitimacyAddressHeader";
  public static final String USER_AGENT_HEADER = "legitimacyUserAgentHeader";
  public static final String PATH_HEADER = "legitimacyPathHeader";
  public static final String TLS_HEADER = "legitimacyTlsFingerprintHeader";
  public static final String ADDRESS_FIELD = "legitimacyAddressField";
  public static final String USER_AGENT_FIELD = "legitimacyUserAgentField";
  public static final String PATH_FIELD = "legitimacyPathField";
  public static final String TLS_FIELD = "legitimacyTlsFingerprintField";
  public static final String PAYLOAD_FEATURES = "legitimacyPayloadFeatures";
  public static final String PAYLOAD_REFERENCE = "legitimacyPayloadReference";
  public static final String NETWORK_SHIFT = "legitimacyNetworkShift";
  public static final String ATTRIBUTE_SHIFT = "legitimacyAttributeShift";
  public static final String PERIODIC_SHIFT = "legitimacyPeriodicShift";
  public static final String PAYLOAD_PSI = "legitimacyPayloadPsi";
  private static final int MAX_NAME_CHARS = 256;
  private static final String DIMENSION_FORM = "a comma-separated list of network, attributes, timing, payload; or none";

  public static final String DEFAULT_CLIENT_ID_HEADER = "client-id";
  public static final String DEFAULT_CLIENT_ID_FIELD = "client_ip";
  public static final String DEFAULT_STATUS_FIELD = "status";
  public static final String DEFAULT_TIMESTAMP_FIELD = "timestamp";

  private final String bootstrapServers;
  private final String topic;
  private final String consumerGroup;
  private final RecordFormat format;
  private final boolean shadow;
  private final ScorerParameters scorer;
  private final Map<String, String> clientProperties;
  private final String owner;
  private AttributeFields attributeFields = AttributeFields.NONE;
  private DimensionParameters dimensions = DimensionParameters.defaults();

  private TrafficScorerConfig(String bootstrapServers, String topic, String consumerGroup, RecordFormat format,
      boolean shadow, ScorerParameters scorer, Map<String, String> clientProperties, String owner) {
    this.owner = owner;
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.consumerGroup = consumerGroup;
    this.format = format;
    this.shadow = shadow;
    this.scorer = scorer;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  public static TrafficScorerConfig parse(Metadata md, ServerDefaults defaults, String namespace, String scaledObject) {
    // the servers and the client properties (credentials) come from one declared cluster, or none
    Backends.KafkaRoute route = defaults.backends().kafka(namespace, md,
        "host:port[,host:port...] (or bootstrapServers, or the server's default Kafka bootstrap servers)",
        BOOTSTRAP_SERVERS, "bootstrapServers");
    String bootstrap = String.join(",", route.bootstrapServers());
    String topic = md.string(TOPIC).or(() -> md.string("topic"))
        .orElseThrow(() -> new ConfigException(TOPIC, null, "the topic to score (or topic)"));
    String group = md.string(CONSUMER_GROUP).orElseGet(() -> defaultGroup(namespace, scaledObject));
    Optional<String> modelGroup = md.string("consumerGroup");
    if (modelGroup.isPresent() && modelGroup.get().equals(group)) {
      throw new ConfigException(CONSUMER_GROUP, group,
          "a consumer group of its own, different from the model's consumerGroup (the scorer must never move the"
              + " model's offsets)");
    }
    String kind = md.oneOf(RECORD_KIND, "request", "request", "accessLog");
    RecordFormat format;
    if (kind.equals("request")) {
      format = new Requests(md.string(CLIENT_ID_HEADER).orElse(DEFAULT_CLIENT_ID_HEADER), md.string(VALIDITY_HEADER));
    } else {
      int[] range = statusRange(md);
      format = new AccessLog(md.string(CLIENT_ID_FIELD).orElse(DEFAULT_CLIENT_ID_FIELD),
          md.string(STATUS_FIELD).orElse(DEFAULT_STATUS_FIELD),
          Optional.of(md.string(TIMESTAMP_FIELD).orElse(DEFAULT_TIMESTAMP_FIELD)), range[0], range[1]);
    }
    boolean shadow = md.oneOf(MODE, "enforce", "enforce", "shadow").equals("shadow");
    TrafficScorerConfig config = new TrafficScorerConfig(bootstrap, topic, group, format, shadow,
        scorerParameters(md), route.clientProperties(), namespace + "." + scaledObject);
    config.dimensions = dimensions(md);
    config.attributeFields = attributeFields(md, kind.equals("request"), config.dimensions);
    return config;
  }

  /** Which evidence dimensions run and their thresholds (docs/legitimacy.md §14). */
  static DimensionParameters dimensions(Metadata md) {
    DimensionParameters d = DimensionParameters.defaults();
    String list = md.string(DIMENSIONS).orElse("network,attributes,timing,payload").trim();
    Set<String> on = new HashSet<>();
    if (!list.equals("none")) {
      for (String part : list.split(",", -1)) {
        String name = part.trim();
        if (!Set.of("network", "attributes", "timing", "payload").contains(name) || !on.add(name)) {
          throw new ConfigException(DIMENSIONS, list, DIMENSION_FORM);
        }
      }
    }
    double network = md.doubleValue(NETWORK_SHIFT, d.networkShift(), 0.01, false, 1);
    double attribute = md.doubleValue(ATTRIBUTE_SHIFT, d.attributeShift(), 0.01, false, 1);
    double periodic = md.doubleValue(PERIODIC_SHIFT, d.periodicShift(), 0.01, false, 1);
    double psi = md.doubleValue(PAYLOAD_PSI, d.payloadPsi(), 0.01, false, 10);
    return new DimensionParameters(on.contains("network"), on.contains("attributes"), on.contains("timing"),
        on.contains("payload") && md.has(PAYLOAD_FEATURES), d.topPrefixes(), network, attribute, periodic, psi,
        payloadReference(md));
  }

  /**
   * The operator's reference profile: per feature the edges of equally likely bins (e.g. the training
   * data's deciles), features separated by ';', edges by ','. At most 16 features and 19 edges each.
   */
  static Optional<double[][]> payloadReference(Metadata md) {
    Optional<String> v = md.string(PAYLOAD_REFERENCE);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String form = "per feature the ascending edges of equally likely bins (e.g. training deciles), features"
        + " separated by ';', edges by ',': at most " + DimensionParameters.MAX_FEATURES + " features and 19 edges"
        + " each, e.g. -0.8,-0.6,-0.4,-0.2,0,0.2,0.4,0.6,0.8;...";
    String[] features = v.get().split(";", -1);
    if (v.get().length() > 16_384 || features.length > DimensionParameters.MAX_FEATURES) {
      throw new ConfigException(PAYLOAD_REFERENCE, v.get().length() > 200 ? v.get().substring(0, 200) + "..." : v.get(),
          form);
    }
    double[][] edges = new double[features.length][];
    for (int f = 0; f < features.length; f++) {
      String[] parts = features[f].split(",", -1);
      if (parts.length < 1 || parts.length > 19) {
        throw new ConfigException(PAYLOAD_REFERENCE, "feature " + f + ": " + features[f], form);
      }
      edges[f] = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          edges[f][i] = Double.parseDouble(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new ConfigException(PAYLOAD_REFERENCE, "feature " + f + ": " + features[f], form);
        }
        if (!Double.isFinite(edges[f][i]) || i > 0 && !(edges[f][i] > edges[f][i - 1])) {
          throw new ConfigException(PAYLOAD_REFERENCE, "feature " + f + ": " + features[f], form);
        }
      }
    }
    return Optional.of(edges);
  }

  /** Header names (request records) or field paths (access logs) of the attributes; defaults documented. */
  static AttributeFields attributeFields(Metadata md, boolean requests, DimensionParameters dims) {
    if (requests) {
      return new AttributeFields(name(md, ADDRESS_HEADER, null), name(md, USER_AGENT_HEADER, "user-agent"),
          name(md, PATH_HEADER, "request-path"), name(md, TLS_HEADER, "tls-fingerprint"),
          dims.payload() ? name(md, PAYLOAD_FEATURES, null) : Optional.empty());
    }
    return new AttributeFields(name(md, ADDRESS_FIELD, null), name(md, USER_AGENT_FIELD, "user_agent"),
        name(md, PATH_FIELD, "path"), name(md, TLS_FIELD, "tls_fingerprint"),
        dims.payload() ? name(md, PAYLOAD_FEATURES, null) : Optional.empty());
  }

  private static Optional<String> name(Metadata md, String key, String dflt) {
    Optional<String> v = md.string(key);
    if (v.isPresent() && (v.get().isBlank() || v.get().length() > MAX_NAME_CHARS)) {
      throw new ConfigException(key, v.get().length() > 200 ? v.get().substring(0, 200) + "..." : v.get(),
          "a header name or field path of 1 to " + MAX_NAME_CHARS + " characters");
    }
    return v.or(() -> Optional.ofNullable(dflt));
  }

  public AttributeFields attributeFields() {
    return attributeFields;
  }

  public DimensionParameters dimensions() {
    return dimensions;
  }

  /**
   * Own group per ScaledObject and per scaler replica: each replica must see every partition to judge
   * the whole traffic, so replicas must not share a group (they would split the partitions).
   */
  static String defaultGroup(String namespace, String scaledObject) {
    String instance = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).map(h -> "." + h)
        .orElse("");
    return "legit-scaler-scorer." + namespace + "." + scaledObject + instance;
  }

  private static int[] statusRange(Metadata md) {
    Optional<String> v = md.string(INVALID_STATUS);
    if (v.isEmpty()) {
      return new int[] {400, 499};
    }
    String form = "an HTTP status range such as 400-499, or a single status such as 400";
    String[] parts = v.get().split("-", -1);
    try {
      int from = Integer.parseInt(parts[0].trim());
      int to = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : from;
      if (parts.length > 2 || from < 100 || to > 599 || from > to) {
        throw new ConfigException(INVALID_STATUS, v.get(), form);
      }
      return new int[] {from, to};
    } catch (NumberFormatException e) {
      throw new ConfigException(INVALID_STATUS, v.get(), form);
    }
  }

  private static ScorerParameters scorerParameters(Metadata md) {
    ScorerParameters d = ScorerParameters.defaults();
    Duration bucket = md.duration(BUCKET, d.bucket(), Duration.ofSeconds(1), Duration.ofSeconds(60));
    int windowBuckets = md.intValue(WINDOW_BUCKETS, d.windowBuckets(), 1, 12);
    Duration clearAfter = md.duration(CLEAR_AFTER, d.clearAfter(), Duration.ofSeconds(5), Duration.ofMinutes(30));
    long capacity = md.longValue(KNOWN_CLIENTS_CAPACITY, d.knownClientsCapacity(), 10_000, 20_000_000);
    Duration retention = md.duration(KNOWN_CLIENTS_RETENTION, d.knownClientsRetention(), Duration.ofMinutes(5),
        Duration.ofDays(7));
    int agreeing = md.intValue(MIN_AGREEING_SIGNALS, d.minAgreeingSignals(), 1, 6);
    double surge = md.doubleValue(SURGE_FACTOR, d.surgeFactor(), 1.0, true, 100);
    double heavy = md.doubleValue(HEAVY_RATE_FACTOR, d.heavyRateFactor(), 1.0, true, 1000);
    return new ScorerParameters(bucket, windowBuckets, clearAfter, d.attackHold(), d.warmup(), d.baselineHalfLife(),
        capacity, retention, d.maxNewClientsPerBucket(), d.heavyHitterSlots(), d.sampleCapacity(),
        d.historyCapacity(), heavy, d.madMultiplier(), d.minHeavyCount(), d.ownHistoryFactor(),
        d.minHistoryWindows(), surge, d.heavyShareThreshold(), d.newShareThreshold(), d.newClientRateFactor(),
        d.entropyDrop(), d.invalidShareThreshold(), d.invalidTolerance(), agreeing, d.minAttackShare(),
        d.flashCrowdMaxSuspectShare(), d.minWindowRequests(), d.maxFlaggedClients());
  }

  /**
   * The scorer's estimated heap ({@link ScorerFootprint}); throws naming the key that sizes the largest
   * part when it exceeds {@code maxBytes} (the server's per-trigger limit).
   */
  public static long checkFootprint(Metadata md, ScorerParameters p, long maxBytes) {
    ScorerFootprint f = ScorerFootprint.of(p);
    if (f.totalBytes() <= maxBytes) {
      return f.totalBytes();
    }
    String key = switch (f.dominantPart()) {
      case "knownClients" -> KNOWN_CLIENTS_CAPACITY;
      case "pending" -> md.has(CLEAR_AFTER) || !md.has(BUCKET) ? CLEAR_AFTER : BUCKET;
      default -> WINDOW_BUCKETS;
    };
    String value = md.string(key).orElse("(default)");
    if (key.equals(CLEAR_AFTER) || key.equals(BUCKET)) {
      value = md.string(CLEAR_AFTER).orElse(Durations.format(p.clearAfter())) + " with " + BUCKET + " "
          + md.string(BUCKET).orElse(Durations.format(p.bucket()));
    }
    throw new ConfigException(key, value, "a smaller value: the scorer state would need " + mib(f.totalBytes())
        + " MiB (known clients " + mib(f.knownClientsBytes()) + ", pending clearAfter/bucket lists "
        + mib(f.pendingBytes()) + ", window buckets " + mib(f.bucketBytes() + f.labelBytes())
        + ") and the server allows " + mib(maxBytes) + " MiB per trigger (--max-trigger-memory)");
  }

  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String topic() {
    return topic;
  }

  /**
   * The {@code legitimacyConsumerGroup} as given (or derived). Kept for Explain only: the scorer's
   * consumer uses no group, so this name never reaches Kafka.
   */
  public String consumerGroup() {
    return consumerGroup;
  }

  /** {@code namespace.scaledObject}: the scorer's client id is derived from it, never from metadata. */
  public String clientIdSuffix() {
    return owner;
  }

  public RecordFormat format() {
    return format;
  }

  /** True for {@code legitimacyMode: shadow}: computed and exported, never applied by the decision. */
  public boolean shadow() {
    return shadow;
  }

  public ScorerParameters scorer() {
    return scorer;
  }

  /** Extra client properties from the server settings (security); values never shown. */
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** Parsed settings for Explain. Client properties are listed by name only: they may hold secrets. */
  public Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(BOOTSTRAP_SERVERS, bootstrapServers);
    m.put(TOPIC, topic);
    m.put(CONSUMER_GROUP, "(none: read-only consumer that assigns partitions itself, no group, no commits)");
    m.put(MODE, shadow ? "shadow" : "enforce");
    if (format instanceof Requests r) {
      m.put(RECORD_KIND, "request");
      m.put(CLIENT_ID_HEADER, r.clientIdHeader() + " (falls back to the record key)");
      m.put(VALIDITY_HEADER, r.validityHeader().orElse("(none: every record valid)"));
    } else if (format instanceof AccessLog a) {
      m.put(RECORD_KIND, "accessLog");
      m.put(CLIENT_ID_FIELD, a.clientIdPath());
      m.put(STATUS_FIELD, a.statusPath());
      m.put(TIMESTAMP_FIELD, a.timestampPath().orElse("(record timestamp)"));
      m.put(INVALID_STATUS, a.invalidStatusFrom() + "-" + a.invalidStatusTo());
    }
    m.put(BUCKET, Durations.format(scorer.bucket()));
    m.put(WINDOW_BUCKETS, Integer.toString(scorer.windowBuckets()));
    m.put(CLEAR_AFTER, Durations.format(scorer.clearAfter()));
    m.put(KNOWN_CLIENTS_CAPACITY, Long.toString(scorer.knownClientsCapacity()));
    m.put(KNOWN_CLIENTS_RETENTION, Durations.format(scorer.knownClientsRetention()));
    m.put(MIN_AGREEING_SIGNALS, Integer.toString(scorer.minAgreeingSignals()));
    m.put(SURGE_FACTOR, Double.toString(scorer.surgeFactor()));
    m.put(HEAVY_RATE_FACTOR, Double.toString(scorer.heavyRateFactor()));
    m.put(DIMENSIONS, (dimensions.network() ? "network " : "") + (dimensions.attributes() ? "attributes " : "")
        + (dimensions.timing() ? "timing " : "") + (dimensions.payload() ? "payload" : ""));
    attributeFields.features().ifPresent(f -> m.put(PAYLOAD_FEATURES, f));
    m.put(PAYLOAD_REFERENCE, dimensions.payloadReference().isPresent()
        ? dimensions.payloadReference().get().length + " features given" : "(learned from the first records)");
    if (!clientProperties.isEmpty()) {
      m.put("kafkaClientProperties", String.join(",", new java.util.TreeSet<>(clientProperties.keySet())));
    }
    return m;
  }
}
