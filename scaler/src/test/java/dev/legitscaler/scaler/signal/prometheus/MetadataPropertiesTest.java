package dev.legitscaler.scaler.signal.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.legitimacy.prometheus.LegitimacyQueryConfig;
import dev.legitscaler.scaler.source.BackendSignalFactory;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Every metadata key with generated values (garbage, numbers in every notation, durations, Unicode,
 * huge and tiny values): parsing either gives a config whose Prometheus requests can be built and
 * whose published target is a usable number, or a ConfigException naming a key, its value and the
 * accepted form (INVALID_ARGUMENT). Nothing else, ever. Lives here to build requests exactly as the
 * client does.
 */
class MetadataPropertiesTest {
  static final List<String> KEYS = List.of("activationLagThreshold", "activationThreshold", "allowIdleConsumers",
      "bootstrapServers", "consumerGroup", "customHeaders", "ensureEvenDistributionOfPartitions",
      "excludePersistentLag", "holdUnscoredIncrease", "ignoreNullValues", "lagThreshold", "legitimacyAttackBelow",
      "legitimacyBootstrapServers", "legitimacyBucket", "legitimacyClearAfter", "legitimacyClientIdField",
      "legitimacyClientIdHeader", "legitimacyConsumerGroup", "legitimacyHeavyRateFactor", "legitimacyInvalidStatus",
      "legitimacyKnownClientsCapacity", "legitimacyKnownClientsRetention", "legitimacyMinAgreeingSignals",
      "legitimacyMode", "legitimacyQuery", "legitimacyRecordKind", "legitimacyServerAddress", "legitimacySource",
      "legitimacyStatusField", "legitimacySurgeFactor", "legitimacyTimestampField", "legitimacyTopic",
      "legitimacyValidityHeader", "legitimacyWindowBuckets", "limitToPartitionsWithLag", "loadQuery", "maxReplicas",
      "metricEncoding", "minReplicas", "offsetResetPolicy", "partitionLimitation", "queryParameters",
      "refreshInterval", "scaleToZeroOnInvalidOffset", "serverAddress", "staleAfter", "targetLoad", "timeout",
      "topic");

  private static final BackendSignalFactory SIGNALS =
      new BackendSignalFactory(ServerDefaults.none(), ServerLimits.defaults(), Clock.systemUTC());

  @AfterContainer
  static void closePools() {
    SIGNALS.close();
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(KEYS);
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().ascii().ofMaxLength(20),
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12),
        Arbitraries.longs().map(Object::toString),
        Arbitraries.doubles().map(Object::toString),
        Arbitraries.of("0", "-1", "1e308", "4.9e-324", "0x1p-2", "0.7f", "NaN", "Infinity", "-0", ".5", "5.",
            "0.0004", "0.0005", "9223372036854775807", "99999999999999999999", "1e-9999", "00012"),
        Arbitraries.of("0s", "1ms", "100ms", "5s", "30m", "1h", "7d", "-5s", "1h30m", "1.5s", "0.1s", "1e3s"),
        Arbitraries.of("http://127.0.0.1:0", "http://127.0.0.1:99999", "http://p:9090", "https://p/x/y",
            "ftp://p", "http://u:p@h", "http://[::1]:9090", "http://h:9090/?a=1", "notaurl", "http://caf\u00e9:1"),
        Arbitraries.of("X-A=1", "X-A=caf\u00e9", "X-A=a\u2028b", "a=1,a=2", "Host=h", "X-A=1,X-B=", "=",
            "k=v,k2=v2", "query=up", "dedup=false"),
        Arbitraries.of("true", "false", "TRUE", "yes", "kafka", "prometheus", "none", "load", "replicas",
            "shadow", "enforce", "accessLog", "request", "400-499", "599-100", "latest", "earliest", "1,2,3"));
  }

  static Map<String, String> base() {
    Map<String, String> m = new HashMap<>();
    m.put("serverAddress", "http://prometheus.monitoring:9090");
    m.put("loadQuery", "sum(rate(x{namespace=\"$namespace\"}[1m]))");
    m.put("bootstrapServers", "kafka:9092");
    m.put("consumerGroup", "model");
    m.put("topic", "requests");
    return m;
  }

  @Property(tries = 3000)
  void everyKeyGivesAUsableConfigOrAPreciseError(@ForAll("keys") String key, @ForAll("values") String value,
      @ForAll("keys") String other, @ForAll("values") String otherValue) {
    Map<String, String> md = base();
    md.put(other, otherValue);
    md.put(key, value);
    ScalerConfig c;
    try {
      c = ScalerConfig.parse("ml", "model", md, ServerDefaults.none(), SIGNALS);
    } catch (ConfigException e) {
      assertThat(e.key()).as("names a key").isNotBlank();
      assertThat(e.acceptedForm()).as("says the accepted form").isNotBlank();
      assertThat(e.getMessage()).startsWith("metadata key '" + e.key() + "'");
      return;
    }
    // Accepted: nothing about it may fail every refresh.
    assertThat(c.target()).as("published target").isPositive().isFinite();
    assertThat(c.target()).isLessThan(9.0e15);
    assertThat(c.refreshInterval()).isLessThan(c.staleAfter());
    Metadata m = new Metadata(md);
    LoadConfig.parse(m, ServerDefaults.none(), "ml", "model")
        .ifPresent(l -> PrometheusClient.requestFor(l.serverAddress(), l.query()));
    if (c.legitimacySource().keyword().equals("prometheus")) {
      LegitimacyQueryConfig q = LegitimacyQueryConfig.parse(m, ServerDefaults.none(), "ml", "model");
      PrometheusClient.requestFor(q.serverAddress(), q.query());
    }
  }
}
