package dev.legitscaler.scaler.signal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig.OffsetResetPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The metadata validation table of KEDA's Kafka scaler (v2.20 unit tests), plus our own edges. */
class KafkaLagConfigTest {
  /** B in the spec: the two keys every valid trigger has. */
  private static final Map<String, String> B = Map.of("bootstrapServers", "foobar:9092", "consumerGroup", "my-group");
  /** B + T. */
  private static final Map<String, String> BT = with(B, "topic", "my-topic");

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new HashMap<>(base);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return Map.copyOf(m);
  }

  private static KafkaLagConfig parse(Map<String, String> md) {
    return KafkaLagConfig.parseRequired(new Metadata(md), ServerDefaults.none());
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        // row, metadata, key named in the error, value named in the error (null = missing)
        Arguments.of("{}", Map.of(), "bootstrapServers", null),
        Arguments.of("only bootstrapServers", Map.of("bootstrapServers", "foobar:9092"), "consumerGroup", null),
        Arguments.of("lagThreshold 0", with(BT, "lagThreshold", "0"), "lagThreshold", "0"),
        Arguments.of("lagThreshold -1", with(BT, "lagThreshold", "-1"), "lagThreshold", "-1"),
        Arguments.of("activationLagThreshold AA", with(BT, "activationLagThreshold", "AA"),
            "activationLagThreshold", "AA"),
        Arguments.of("partitionLimitation a,b,c", with(BT, "partitionLimitation", "a,b,c"),
            "partitionLimitation", "a,b,c"),
        Arguments.of("partitionLimitation 1-2-3", with(BT, "partitionLimitation", "1-2-3"),
            "partitionLimitation", "1-2-3"),
        Arguments.of("partitionLimitation a-3", with(BT, "partitionLimitation", "a-3"),
            "partitionLimitation", "a-3"),
        Arguments.of("partitionLimitation 1-b", with(BT, "partitionLimitation", "1-b"),
            "partitionLimitation", "1-b"),
        Arguments.of("offsetResetPolicy foo", with(B, "offsetResetPolicy", "foo"), "offsetResetPolicy", "foo"),
        Arguments.of("allowIdleConsumers notvalid", with(B, "allowIdleConsumers", "notvalid"),
            "allowIdleConsumers", "notvalid"),
        Arguments.of("excludePersistentLag notvalid", with(B, "excludePersistentLag", "notvalid"),
            "excludePersistentLag", "notvalid"),
        Arguments.of("limitToPartitionsWithLag true without topic", with(B, "limitToPartitionsWithLag", "true"),
            "limitToPartitionsWithLag", "true"),
        Arguments.of("allowIdleConsumers true + limitToPartitionsWithLag true",
            with(BT, "allowIdleConsumers", "true", "limitToPartitionsWithLag", "true"),
            "limitToPartitionsWithLag", "true"),
        // beyond the spec table: the other KEDA checks and our own
        Arguments.of("activationLagThreshold -1", with(BT, "activationLagThreshold", "-1"),
            "activationLagThreshold", "-1"),
        Arguments.of("scaleToZeroOnInvalidOffset notvalid", with(B, "scaleToZeroOnInvalidOffset", "notvalid"),
            "scaleToZeroOnInvalidOffset", "notvalid"),
        Arguments.of("ensureEvenDistributionOfPartitions notvalid",
            with(BT, "ensureEvenDistributionOfPartitions", "notvalid"), "ensureEvenDistributionOfPartitions",
            "notvalid"),
        Arguments.of("ensureEvenDistributionOfPartitions without topic",
            with(B, "ensureEvenDistributionOfPartitions", "true"), "ensureEvenDistributionOfPartitions", "true"),
        Arguments.of("ensureEvenDistributionOfPartitions + limitToPartitionsWithLag",
            with(BT, "ensureEvenDistributionOfPartitions", "true", "limitToPartitionsWithLag", "true"),
            "ensureEvenDistributionOfPartitions", "true"),
        Arguments.of("bool in a case Go rejects", with(B, "allowIdleConsumers", "tRuE"), "allowIdleConsumers",
            "tRuE"),
        Arguments.of("descending partition range", with(BT, "partitionLimitation", "4-1"), "partitionLimitation",
            "4-1"),
        Arguments.of("negative partition", with(BT, "partitionLimitation", "-1"), "partitionLimitation", "-1"),
        Arguments.of("range too large to expand", with(BT, "partitionLimitation", "0-2147483647"),
            "partitionLimitation", "0-2147483647"),
        Arguments.of("lagThreshold not an integer", with(BT, "lagThreshold", "1.5"), "lagThreshold", "1.5"),
        Arguments.of("bootstrap server without port", with(B, "bootstrapServers", "foobar"), "bootstrapServers",
            "foobar"),
        Arguments.of("empty bootstrap entry", with(B, "bootstrapServers", "foo:9092,,bar:9092"),
            "bootstrapServers", "foo:9092,,bar:9092"),
        Arguments.of("*FromEnv is not resolvable here", with(B, "topicFromEnv", "TOPIC"), "topicFromEnv",
            "TOPIC"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsWithKeyValueAndAcceptedForm(String row, Map<String, String> md, String key, String value) {
    assertThatThrownBy(() -> parse(md))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.value()).isEqualTo(value);
          assertThat(e.acceptedForm()).isNotBlank();
          assertThat(e.getMessage()).contains("'" + key + "'").contains(e.acceptedForm());
        });
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("B: ok, no topic, KEDA defaults", B, (Consumer<KafkaLagConfig>) c -> {
          assertThat(c.bootstrapServers()).containsExactly("foobar:9092");
          assertThat(c.consumerGroup()).isEqualTo("my-group");
          assertThat(c.topic()).isEmpty();
          assertThat(c.lagThreshold()).isEqualTo(10);
          assertThat(c.activationLagThreshold()).isZero();
          assertThat(c.offsetResetPolicy()).isEqualTo(OffsetResetPolicy.LATEST);
          assertThat(c.allowIdleConsumers()).isFalse();
          assertThat(c.excludePersistentLag()).isFalse();
          assertThat(c.limitToPartitionsWithLag()).isFalse();
          assertThat(c.partitionLimitation()).isEmpty();
          assertThat(c.scaleToZeroOnInvalidOffset()).isFalse();
          assertThat(c.ensureEvenDistributionOfPartitions()).isFalse();
        }),
        Arguments.of("B + partitionLimitation without topic: ignored", with(B, "partitionLimitation", "1,2,3"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.partitionLimitation()).isEmpty()),
        Arguments.of("B + T + lagThreshold 1000000", with(BT, "lagThreshold", "1000000"),
            (Consumer<KafkaLagConfig>) c -> {
              assertThat(c.lagThreshold()).isEqualTo(1_000_000);
              assertThat(c.topic()).contains("my-topic");
            }),
        Arguments.of("two brokers, in order", with(B, "bootstrapServers", "foo:9092,bar:9092"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.bootstrapServers()).containsExactly("foo:9092", "bar:9092")),
        Arguments.of("offsetResetPolicy latest", with(B, "offsetResetPolicy", "latest"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.offsetResetPolicy()).isEqualTo(OffsetResetPolicy.LATEST)),
        Arguments.of("offsetResetPolicy earliest", with(B, "offsetResetPolicy", "earliest"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.offsetResetPolicy()).isEqualTo(OffsetResetPolicy.EARLIEST)),
        Arguments.of("activationLagThreshold 0 is allowed", with(BT, "activationLagThreshold", "0"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.activationLagThreshold()).isZero()),
        Arguments.of("every boolean set, Go spellings", with(BT, "allowIdleConsumers", "1",
                "excludePersistentLag", "T", "scaleToZeroOnInvalidOffset", "True",
                "ensureEvenDistributionOfPartitions", "TRUE"),
            (Consumer<KafkaLagConfig>) c -> {
              assertThat(c.allowIdleConsumers()).isTrue();
              assertThat(c.excludePersistentLag()).isTrue();
              assertThat(c.scaleToZeroOnInvalidOffset()).isTrue();
              assertThat(c.ensureEvenDistributionOfPartitions()).isTrue();
            }),
        Arguments.of("limitToPartitionsWithLag with topic", with(BT, "limitToPartitionsWithLag", "true"),
            (Consumer<KafkaLagConfig>) c -> assertThat(c.limitToPartitionsWithLag()).isTrue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void accepts(String row, Map<String, String> md, Consumer<KafkaLagConfig> check) {
    check.accept(parse(md));
  }

  @ParameterizedTest(name = "partitionLimitation ''{0}'' -> [{1}]")
  @CsvSource(delimiter = '|', value = {
      "1,2,3,4      | 1 2 3 4",
      "1-4          | 1 2 3 4",
      "1-4,8,10-12  | 1 2 3 4 8 10 11 12",
      "' 1 , 2 , 3 '| 1 2 3",
      "3-3          | 3",
  })
  void partitionLimitation(String text, String expected) {
    List<Integer> ids = Arrays.stream(expected.trim().split(" +")).map(Integer::valueOf).toList();
    assertThat(parse(with(BT, "partitionLimitation", text)).partitionLimitation()).isEqualTo(ids);
  }

  @Test
  void noKafkaKeyMeansSignalOff() {
    assertThat(KafkaLagConfig.parse(new Metadata(Map.of()), ServerDefaults.none())).isEmpty();
    assertThat(KafkaLagConfig.parse(new Metadata(Map.of("lagThreshold", "5", "serverAddress", "http://p:9090")),
        ServerDefaults.none())).isEmpty();
    assertThat(KafkaLagConfig.parse(new Metadata(BT), ServerDefaults.none())).isPresent();
    // any one Kafka key switches the signal on, and then the whole trigger must be valid
    assertThatThrownBy(() -> KafkaLagConfig.parse(new Metadata(Map.of("topic", "t")), ServerDefaults.none()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("bootstrapServers"));
  }

  @Test
  void bootstrapServersFallBackToServerDefault() {
    ServerDefaults defaults = defaults(Optional.of("kafka-0:9092,kafka-1:9092"), Map.of());
    KafkaLagConfig fromDefault = KafkaLagConfig.parse(new Metadata(Map.of("consumerGroup", "g")), defaults)
        .orElseThrow();
    assertThat(fromDefault.bootstrapServers()).containsExactly("kafka-0:9092", "kafka-1:9092");
    KafkaLagConfig fromMetadata = KafkaLagConfig.parseRequired(new Metadata(B), defaults);
    assertThat(fromMetadata.bootstrapServers()).containsExactly("foobar:9092");
  }

  @Test
  void securityComesFromServerSettingsAndDescribeRedactsSecrets() {
    Map<String, String> client = Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"scaler\" password=\"s3cret-jaas\";",
        "ssl.truststore.password", "s3cret-trust");
    // the properties are for the cluster of the server's bootstrap servers, which the trigger names
    KafkaLagConfig c = KafkaLagConfig.parseRequired(new Metadata(BT),
        defaults(Optional.of(BT.get("bootstrapServers")), client));
    assertThat(c.clientProperties()).isEqualTo(client);
    Map<String, String> d = c.describe();
    assertThat(d).containsEntry("client.security.protocol", "SASL_SSL")
        .containsEntry("client.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("client.sasl.jaas.config", "<redacted>")
        .containsEntry("client.ssl.truststore.password", "<redacted>")
        .containsEntry("topic", "my-topic")
        .containsEntry("lagThreshold", "10");
    assertThat(d.toString() + c).doesNotContain("s3cret");
  }

  @Test
  void serverSecurityIsNeverAttachedToAClusterTheServerDidNotDeclare() {
    Map<String, String> client = Map.of("sasl.jaas.config", "s3cret");
    // no default cluster at all: the properties are for nobody (they used to go to any cluster)
    assertThat(KafkaLagConfig.parseRequired(new Metadata(BT), defaults(Optional.empty(), client))
        .clientProperties()).isEmpty();
    // another cluster than the declared one
    assertThat(KafkaLagConfig.parseRequired(new Metadata(with(BT, "bootstrapServers", "elsewhere:9092")),
        defaults(Optional.of(BT.get("bootstrapServers")), client)).clientProperties()).isEmpty();
  }

  private static ServerDefaults defaults(Optional<String> bootstrap, Map<String, String> clientProps) {
    return new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofSeconds(3), bootstrap, clientProps,
        Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
  }
}
