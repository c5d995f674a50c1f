package dev.legitscaler.scaler.legitimacy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LegitimacyQueryConfigTest {
  static final String QUERY = "sum(rate(ok_total{ns=\"$namespace\"}[1m])) / sum(rate(all_total{so=\"$scaledObject\"}[1m]))";
  static final ServerDefaults WITH_URL = new ServerDefaults(Optional.of("http://default-prom:9090"),
      Optional.empty(), Duration.ofSeconds(3), Optional.empty(), Map.of(), Duration.ofSeconds(5),
      Duration.ofSeconds(60), Duration.ofMinutes(10));

  static LegitimacyQueryConfig parse(ServerDefaults defaults, String... pairs) {
    Map<String, String> md = new HashMap<>();
    md.put("legitimacySource", "prometheus");
    md.put("legitimacyQuery", QUERY);
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        md.remove(pairs[i]);
      } else {
        md.put(pairs[i], pairs[i + 1]);
      }
    }
    return LegitimacyQueryConfig.parse(new Metadata(md), defaults, "team-a", "fraud-model");
  }

  /** metadata pairs, described key, described value. */
  static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of(new String[] {}, "legitimacyQuery",
            "sum(rate(ok_total{ns=\"team-a\"}[1m])) / sum(rate(all_total{so=\"fraud-model\"}[1m]))"),
        Arguments.of(new String[] {}, "legitimacyServerAddress", "http://default-prom:9090"),
        Arguments.of(new String[] {"serverAddress", "http://load-prom:9090"}, "legitimacyServerAddress",
            "http://load-prom:9090"),
        Arguments.of(new String[] {"serverAddress", "http://load-prom:9090", "legitimacyServerAddress",
            "http://edge-prom:9090/"}, "legitimacyServerAddress", "http://edge-prom:9090"),
        Arguments.of(new String[] {}, "legitimacyAttackBelow", "0.5"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "0"}, "legitimacyAttackBelow", "0.0"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "0.8"}, "legitimacyAttackBelow", "0.8"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "1"}, "legitimacyAttackBelow", "1.0"),
        Arguments.of(new String[] {}, "timeout", "3s"),
        Arguments.of(new String[] {"timeout", "750ms"}, "timeout", "750ms"),
        Arguments.of(new String[] {"customHeaders", "X-Scope-OrgID=edge"}, "customHeaders", "X-Scope-OrgID=<redacted>"),
        Arguments.of(new String[] {"queryParameters", "dedup=false"}, "queryParameters", "dedup=<redacted>"));
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("validValues")
  void validValueIsParsedAndDescribed(String[] pairs, String key, String described) {
    assertThat(parse(WITH_URL, pairs).describe()).containsEntry(key, described);
  }

  /** metadata pairs, key named by the error, accepted-form fragment. */
  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of(new String[] {"legitimacyQuery", null}, "legitimacyQuery", "one value"),
        Arguments.of(new String[] {"legitimacyQuery", "x{a=\"$tenant\"}"}, "legitimacyQuery", "$namespace"),
        Arguments.of(new String[] {"legitimacyServerAddress", "edge:9090"}, "legitimacyServerAddress", "http://"),
        Arguments.of(new String[] {"serverAddress", "not a url"}, "serverAddress", "http://"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "1.1"}, "legitimacyAttackBelow", ">= 0 and <= 1"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "-0.1"}, "legitimacyAttackBelow", ">= 0 and <= 1"),
        Arguments.of(new String[] {"legitimacyAttackBelow", "half"}, "legitimacyAttackBelow", ">= 0 and <= 1"),
        Arguments.of(new String[] {"timeout", "0s"}, "timeout", "between 10ms and 2m"),
        Arguments.of(new String[] {"customHeaders", "nope"}, "customHeaders", "key=value"),
        Arguments.of(new String[] {"queryParameters", "query=up"}, "queryParameters", "'query'"));
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("invalidValues")
  void invalidValueNamesTheKey(String[] pairs, String key, String formFragment) {
    assertThatThrownBy(() -> parse(WITH_URL, pairs))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.acceptedForm()).contains(formFragment);
        });
  }

  @Test
  void noServerAnywhereNamesServerAddress() {
    assertThatThrownBy(() -> parse(ServerDefaults.none()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("serverAddress"));
  }

  @Test
  void thresholdAndQueryAreExposed() {
    LegitimacyQueryConfig c = parse(WITH_URL, "legitimacyAttackBelow", "0.3");
    assertThat(c.attackBelow()).isEqualTo(0.3);
    assertThat(c.serverAddress()).isEqualTo("http://default-prom:9090");
    assertThat(c.query().promql()).doesNotContain("$");
  }
}
