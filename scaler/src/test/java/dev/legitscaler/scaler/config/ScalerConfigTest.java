package dev.legitscaler.scaler.config;

import dev.legitscaler.scaler.source.ScalerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.decision.LegitimacyMode;
import dev.legitscaler.scaler.decision.MetricEncoding;
import dev.legitscaler.scaler.source.InMemorySignalFactory;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScalerConfigTest {
  private final InMemorySignalFactory signals = new InMemorySignalFactory();

  private ScalerConfig parse(Map<String, String> extra) {
    Map<String, String> md = new HashMap<>(Map.of("loadQuery", "ml_model_saturation_ratio", "scalerAddress", "x:9090"));
    md.putAll(extra);
    return ScalerConfig.parse("ml", "model", md, ServerDefaults.none(), signals);
  }

  @Test
  void defaults() {
    ScalerConfig c = parse(Map.of());
    assertThat(c.policy().minReplicas()).isEqualTo(4);
    assertThat(c.policy().maxReplicas()).isEqualTo(6);
    assertThat(c.policy().encoding()).isEqualTo(new MetricEncoding.Replicas());
    assertThat(c.policy().activationThreshold()).isZero();
    assertThat(c.policy().holdUnscoredIncrease()).isTrue();
    assertThat(c.policy().legitimacyMode()).isEqualTo(LegitimacyMode.ENFORCE);
    assertThat(c.legitimacySource()).isEqualTo(LegitimacySourceKind.NONE);
    assertThat(c.legitimacy()).isEmpty();
    assertThat(c.refreshInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.staleAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.target()).isEqualTo(1.0);
    assertThat(c.metricName()).matches("[a-z0-9-]+").startsWith("legitscaler-ml-model-");
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(Map.of("minReplicas", "2", "maxReplicas", "2"), "minReplicas", "2"),
        Arguments.of(Map.of("minReplicas", "0"), "minReplicas", "0"),
        Arguments.of(Map.of("maxReplicas", "10"), "maxReplicas", "10"),
        Arguments.of(Map.of("metricEncoding", "LOAD"), "metricEncoding", "load"),
        Arguments.of(Map.of("metricEncoding", "replicas"), "metricEncoding", "replicas"),
        Arguments.of(Map.of("activationThreshold", "1.5"), "activationThreshold", "1.5"),
        Arguments.of(Map.of("staleAfter", "2m"), "staleAfter", "2m"),
        Arguments.of(Map.of("refreshInterval", "500ms"), "refreshInterval", "500ms"),
        Arguments.of(Map.of("holdUnscoredIncrease", "false"), "holdUnscoredIncrease", "false"),
        Arguments.of(Map.of("legitimacySource", "kafka"), "legitimacySource", "kafka"),
        Arguments.of(Map.of("legitimacySource", "prometheus"), "legitimacySource", "prometheus"),
        Arguments.of(Map.of("legitimacyMode", "shadow"), "legitimacyMode", "shadow"),
        Arguments.of(Map.of("minReplicas", " 5 ", "maxReplicas", "7"), "minReplicas", "5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void acceptsValidValues(Map<String, String> md, String key, String described) {
    assertThat(parse(md).describe()).containsEntry(key, described);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(Map.of("minReplicas", "four"), "minReplicas", "four", "an integer"),
        Arguments.of(Map.of("minReplicas", "-1"), "minReplicas", "-1", "an integer from 0"),
        Arguments.of(Map.of("maxReplicas", "3"), "maxReplicas", "3", ">= minReplicas (4)"),
        Arguments.of(Map.of("maxReplicas", "0"), "maxReplicas", "0", "an integer from 1"),
        Arguments.of(Map.of("metricEncoding", "value"), "metricEncoding", "value", "one of replicas, load"),
        Arguments.of(Map.of("activationThreshold", "-0.1"), "activationThreshold", "-0.1", "a decimal number"),
        Arguments.of(Map.of("activationThreshold", "NaN"), "activationThreshold", "NaN", "a decimal number"),
        Arguments.of(Map.of("staleAfter", "soon"), "staleAfter", "soon", "a duration"),
        Arguments.of(Map.of("staleAfter", "3s", "refreshInterval", "5s"), "staleAfter", "3s", "longer than refreshInterval"),
        Arguments.of(Map.of("refreshInterval", "10ms"), "refreshInterval", "10ms", "between 100ms and 10m"),
        Arguments.of(Map.of("holdUnscoredIncrease", "yes"), "holdUnscoredIncrease", "yes", "true or false"),
        Arguments.of(Map.of("legitimacySource", "dns"), "legitimacySource", "dns", "one of none, prometheus, kafka"),
        Arguments.of(Map.of("legitimacyMode", "audit"), "legitimacyMode", "audit", "one of enforce, shadow"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void rejectsInvalidValuesNamingKeyValueAndForm(Map<String, String> md, String key, String value, String form) {
    assertThatThrownBy(() -> parse(md))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'" + key + "'")
        .hasMessageContaining("'" + value + "'")
        .hasMessageContaining(form)
        .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(key));
  }

  @Test
  void noSignalAtAllIsRejected() {
    assertThatThrownBy(() -> ScalerConfig.parse("ml", "model", Map.of("scalerAddress", "x:9090"),
        ServerDefaults.none(), signals))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("loadQuery")
        .hasMessageContaining("at least one demand signal");
  }

  @Test
  void lagOnlyIsEnoughAndLoadEncodingUsesLagUnits() {
    ScalerConfig c = ScalerConfig.parse("ml", "model",
        Map.of("topic", "requests", "lagThreshold", "50", "metricEncoding", "load"), ServerDefaults.none(), signals);
    assertThat(c.load()).isEmpty();
    assertThat(c.lag()).isPresent();
    assertThat(c.target()).isEqualTo(50_000.0);
  }

  @Test
  void loadEncodingTargetIsTargetLoadPerMille() {
    assertThat(parse(Map.of("metricEncoding", "load", "targetLoad", "0.65")).target()).isEqualTo(650.0);
  }

  @Test
  void metricNameIsStableSanitisedAndUniquePerTrigger() {
    ScalerConfig a = ScalerConfig.parse("ML_Team", "Model.V2", Map.of("loadQuery", "q1"), ServerDefaults.none(), signals);
    ScalerConfig a2 = ScalerConfig.parse("ML_Team", "Model.V2", Map.of("loadQuery", "q1"), ServerDefaults.none(), signals);
    ScalerConfig b = ScalerConfig.parse("ML_Team", "Model.V2", Map.of("loadQuery", "q2"), ServerDefaults.none(), signals);
    assertThat(a.metricName()).isEqualTo(a2.metricName()).matches("[a-z0-9-]+").startsWith("legitscaler-ml-team-model-v2-");
    assertThat(b.metricName()).isNotEqualTo(a.metricName());
    String longName = "n".repeat(200);
    assertThat(ScalerConfig.parse(longName, longName, Map.of("loadQuery", "q"), ServerDefaults.none(), signals)
        .metricName()).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9-]+");
  }
}
