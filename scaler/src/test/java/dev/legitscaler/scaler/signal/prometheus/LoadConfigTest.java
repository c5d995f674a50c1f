package dev.legitscaler.scaler.signal.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadConfigTest {
  static final String QUERY = "ml_model_saturation_ratio{namespace=\"$namespace\"}";
  static final ServerDefaults NO_DEFAULTS = ServerDefaults.none();
  static final ServerDefaults WITH_URL = new ServerDefaults(Optional.of("http://prom.monitoring:9090/"),
      Optional.empty(), Duration.ofSeconds(4), Optional.empty(), Map.of(), Duration.ofSeconds(5),
      Duration.ofSeconds(60), Duration.ofMinutes(10));

  static LoadConfig parse(ServerDefaults defaults, Map<String, String> extra) {
    Map<String, String> md = new HashMap<>();
    md.put("loadQuery", QUERY);
    md.put("serverAddress", "http://127.0.0.1:9090");
    md.putAll(extra);
    md.values().removeIf(v -> v == null);
    return LoadConfig.parse(new Metadata(md), defaults, "team-a", "fraud-model").orElseThrow();
  }

  static Map<String, String> kv(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void noLoadQueryMeansTheLoadSignalIsOff() {
    assertThat(LoadConfig.parse(new Metadata(Map.of("serverAddress", "http://x:9090")), NO_DEFAULTS, "ns", "so"))
        .isEmpty();
    assertThat(LoadConfig.parse(new Metadata(Map.of("loadQuery", "  ")), NO_DEFAULTS, "ns", "so")).isEmpty();
  }

  /** key, given value (null = absent), what describe() must show for it. */
  static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of("serverAddress", "http://127.0.0.1:9090", "http://127.0.0.1:9090"),
        Arguments.of("serverAddress", "HTTP://Prom.Monitoring:9090/", "http://prom.monitoring:9090"),
        Arguments.of("serverAddress", "https://thanos.example/prometheus/", "https://thanos.example/prometheus"),
        Arguments.of("loadQuery", QUERY, "ml_model_saturation_ratio{namespace=\"team-a\"}"),
        Arguments.of("loadQuery", "avg by (pod) (x{scaledobject=\"$scaledObject\",ns=\"$namespace\"})",
            "avg by (pod) (x{scaledobject=\"fraud-model\",ns=\"team-a\"})"),
        Arguments.of("targetLoad", null, "0.7"),
        Arguments.of("targetLoad", "0.5", "0.5"),
        Arguments.of("targetLoad", "1", "1.0"),
        Arguments.of("targetLoad", "0.01", "0.01"),
        Arguments.of("timeout", null, "3s"),
        Arguments.of("timeout", "500ms", "500ms"),
        Arguments.of("timeout", "2", "2s"),
        Arguments.of("timeout", "2m", "2m"),
        Arguments.of("customHeaders", null, ""),
        Arguments.of("customHeaders", "X-Scope-OrgID=team-a", "X-Scope-OrgID=<redacted>"),
        Arguments.of("customHeaders", " a = 1 , b=x=y ", "a=<redacted>,b=<redacted>"),
        Arguments.of("customHeaders", "Authorization=Basic abc,X-Api-Key=k", "Authorization=<redacted>,X-Api-Key=<redacted>"),
        Arguments.of("queryParameters", null, ""),
        Arguments.of("queryParameters", "dedup=true,partial_response=false", "dedup=<redacted>,partial_response=<redacted>"),
        Arguments.of("queryParameters", "token=s3cret", "token=<redacted>"),
        // every value is redacted, whatever the name: a credential's name cannot be guessed
        Arguments.of("customHeaders", "X-Auth-Key=k1,X-Authentication=k2", "X-Auth-Key=<redacted>,X-Authentication=<redacted>"),
        Arguments.of("queryParameters", "key=k3,sig=k4", "key=<redacted>,sig=<redacted>"),
        Arguments.of("ignoreNullValues", null, "true"),
        Arguments.of("ignoreNullValues", "false", "false"),
        Arguments.of("ignoreNullValues", "TRUE", "true"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("validValues")
  void validValueIsParsedAndDescribed(String key, String value, String described) {
    Map<String, String> extra = new HashMap<>();
    extra.put(key, value);
    LoadConfig c = parse(NO_DEFAULTS, extra);
    assertThat(c.describe()).containsEntry(key, described);
  }

  /** key, bad value, a fragment the accepted form must contain. */
  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("serverAddress", "prom:9090", "http://"),
        Arguments.of("serverAddress", "ftp://prom:9090", "http://"),
        Arguments.of("serverAddress", "http://", "http://"),
        Arguments.of("serverAddress", "http://prom:9090/?x=1", "queryParameters"),
        Arguments.of("serverAddress", "http://bad host:9090", "http://"),
        Arguments.of("loadQuery", "x{ns=\"$namespaces\"}", "$namespace and $scaledObject"),
        Arguments.of("loadQuery", "rate(x[$__rate_interval])", "$namespace and $scaledObject"),
        Arguments.of("targetLoad", "0", ">= 0.001 and <= 1"),
        Arguments.of("targetLoad", "-0.5", ">= 0.001 and <= 1"),
        Arguments.of("targetLoad", "1.5", ">= 0.001 and <= 1"),
        Arguments.of("targetLoad", "70%", ">= 0.001 and <= 1"),
        Arguments.of("targetLoad", "NaN", ">= 0.001 and <= 1"),
        Arguments.of("timeout", "fast", "duration"),
        Arguments.of("timeout", "5ms", "between 10ms and 2m"),
        Arguments.of("timeout", "1h", "between 10ms and 2m"),
        Arguments.of("customHeaders", "X-A", "key=value"),
        Arguments.of("customHeaders", "=v", "empty key"),
        Arguments.of("customHeaders", "a=1,a=2", "appears twice"),
        Arguments.of("customHeaders", "a=1,", "key=value"),
        Arguments.of("customHeaders", "Bad Header=1", "HTTP header name"),
        Arguments.of("customHeaders", "Host=evil", "HTTP header name other than"),
        Arguments.of("queryParameters", "dedup", "key=value"),
        Arguments.of("queryParameters", "query=up", "not containing 'query'"),
        Arguments.of("ignoreNullValues", "yes", "true or false"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidValues")
  void invalidValueNamesKeyValueAndForm(String key, String value, String formFragment) {
    assertThatThrownBy(() -> parse(NO_DEFAULTS, kv(key, value)))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.value()).isNotNull();
          assertThat(e.acceptedForm()).contains(formFragment);
          assertThat(e.getMessage()).contains(key);
        });
  }

  @Test
  void serverAddressFallsBackToTheServerDefault() {
    Map<String, String> extra = new HashMap<>();
    extra.put("serverAddress", null);
    LoadConfig c = parse(WITH_URL, extra);
    assertThat(c.serverAddress()).isEqualTo("http://prom.monitoring:9090");
    assertThat(c.describe()).containsEntry("timeout", "4s");
  }

  @Test
  void serverAddressMissingEverywhereNamesTheKey() {
    Map<String, String> extra = new HashMap<>();
    extra.put("serverAddress", null);
    assertThatThrownBy(() -> parse(NO_DEFAULTS, extra))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("serverAddress");
          assertThat(e.value()).isNull();
        });
  }

  @Test
  void credentialsInServerAddressAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> parse(NO_DEFAULTS, kv("serverAddress", "http://admin:hunter2@prom:9090")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("serverAddress");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "Authorization=Bearer hunter2,Host=x", "Authorization=Bearer hunter2,oops", "X-Token=hunter2,=x",
      "X-Token=hunter2,X-Token=hunter2", "X-Auth-Key=hunter2,Host=x", "X-Authentication=hunter2,bad name=x",
      "X-Sig=hunter2,X-Sig=hunter2", "hunter2", "X-Auth-Key=hunter2,X-Ctl=a\u0001b"})
  void secretHeaderValuesNeverAppearInErrors(String headers) {
    assertThatThrownBy(() -> parse(NO_DEFAULTS, kv("customHeaders", headers)))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("customHeaders");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
  }

  /**
   * serverAddress, default URL, token file configured? → token sent. The token goes to the declared
   * address only, exactly (a path under it may be another tenant's proxy route); without a default URL
   * it goes nowhere.
   */
  static Stream<Arguments> bearerTokenScope() {
    return Stream.of(
        Arguments.of("http://prom.monitoring:9090", "http://prom.monitoring:9090", true, true),
        Arguments.of("HTTP://Prom.Monitoring:9090/", "http://prom.monitoring:9090", true, true),
        Arguments.of("http://prom.monitoring:9090/sub", "http://prom.monitoring:9090/", true, false),
        Arguments.of("http://elsewhere:9090", "http://prom.monitoring:9090", true, false),
        Arguments.of("http://prom.monitoring:9091", "http://prom.monitoring:9090", true, false),
        Arguments.of("http://anywhere:9090", null, true, false),
        Arguments.of("http://prom.monitoring:9090", "http://prom.monitoring:9090", false, false));
  }

  @ParameterizedTest(name = "{0} with default {1}, token file {2}")
  @MethodSource("bearerTokenScope")
  void bearerTokenGoesOnlyToTheServerItIsFor(String address, String defaultUrl, boolean tokenFile, boolean sent) {
    ServerDefaults d = new ServerDefaults(Optional.ofNullable(defaultUrl),
        tokenFile ? Optional.of(Path.of("token")) : Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
        Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMinutes(10));
    LoadConfig c = parse(d, kv("serverAddress", address));
    assertThat(c.describe().get("bearerToken")).isEqualTo(sent ? "<redacted> (from the server's token file)" : "none");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"key=hunter2,query=up", "sig=hunter2,oops",
      "sig=hunter2,sig=hunter2", "hunter2"})
  void queryParameterValuesNeverAppearInErrors(String params) {
    assertThatThrownBy(() -> parse(NO_DEFAULTS, kv("queryParameters", params)))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("queryParameters");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
  }

  @Test
  void targetLoadAndQueryAreExposed() {
    LoadConfig c = parse(NO_DEFAULTS, kv("targetLoad", "0.6", "queryParameters", "a=1"));
    assertThat(c.targetLoad()).isEqualTo(0.6);
    assertThat(c.query().promql()).isEqualTo("ml_model_saturation_ratio{namespace=\"team-a\"}");
    assertThat(c.query().parameters()).containsExactly(Map.entry("a", "1"));
  }
}
