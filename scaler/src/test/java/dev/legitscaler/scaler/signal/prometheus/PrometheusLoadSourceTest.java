package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.decision.LoadReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.testing.Eventually;
import dev.legitscaler.scaler.testing.GaugeExporter;
import dev.legitscaler.scaler.testing.PrometheusProcess;
import dev.legitscaler.scaler.testing.RecordingPrometheusProxy;
import dev.legitscaler.scaler.testing.RecordingPrometheusProxy.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The load source against a REAL Prometheus scraping real exporters. */
class PrometheusLoadSourceTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String RATIO = "ml_model_saturation_ratio";
  static final String TENANT_METRIC = "model_queue_saturation";

  static List<GaugeExporter> instances;
  static GaugeExporter tenants;
  static PrometheusProcess prometheus;
  static PrometheusClientPool pool;

  @BeforeAll
  static void start() {
    instances = List.of(GaugeExporter.start(), GaugeExporter.start(), GaugeExporter.start());
    instances.forEach(e -> e.set(RATIO, 0.0));
    tenants = GaugeExporter.start()
        .set(TENANT_METRIC, Map.of("namespace", "team-a", "scaled_object", "fraud"), 0.4)
        .set(TENANT_METRIC, Map.of("namespace", "team-b", "scaled_object", "fraud"), 0.6)
        .set(TENANT_METRIC, Map.of("namespace", "team-a", "scaled_object", "churn"), 0.1);
    prometheus = PrometheusProcess.builder()
        .scrapeJob("model", instances.stream().map(GaugeExporter::target).toList())
        .scrapeJob("tenants", List.of(tenants.target()))
        .start();
    pool = new PrometheusClientPool(ServerDefaults.none());
    prometheus.awaitSeries(RATIO, 3, WAIT);
    prometheus.awaitSeries(TENANT_METRIC, 3, WAIT);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (instances != null) {
      instances.forEach(GaugeExporter::close);
    }
    if (tenants != null) {
      tenants.close();
    }
  }

  static LoadConfig config(ServerDefaults defaults, String namespace, String scaledObject, String... pairs) {
    Map<String, String> md = new HashMap<>();
    md.put("loadQuery", RATIO + "{job=\"model\"}");
    md.put("timeout", "30s"); // bounds a broken test on a busy machine; never a speed requirement
    if (defaults.prometheusUrl().isEmpty()) {
      md.put("serverAddress", prometheus.baseUrl());
    }
    for (int i = 0; i < pairs.length; i += 2) {
      md.put(pairs[i], pairs[i + 1]);
    }
    return LoadConfig.parse(new Metadata(md), defaults, namespace, scaledObject).orElseThrow();
  }

  static LoadConfig config(String... pairs) {
    return config(ServerDefaults.none(), "team-a", "fraud", pairs);
  }

  static Map<String, Double> byInstance(LoadReading r) {
    return r.instances().stream().collect(Collectors.toMap(LoadReading.InstanceLoad::instance,
        LoadReading.InstanceLoad::load, (a, b) -> Double.NaN, LinkedHashMap::new));
  }

  static Stream<Arguments> loads() {
    return Stream.of(
        Arguments.of(List.of(0.2, 0.5, 0.9)),
        Arguments.of(List.of(1.0, 0.0, 0.35)),
        Arguments.of(List.of(0.8125, 0.8125, 0.05)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loads")
  void oneSeriesPerInstanceIsReadBackWithItsValue(List<Double> values) {
    Map<String, Double> expected = new HashMap<>();
    for (int i = 0; i < instances.size(); i++) {
      instances.get(i).set(RATIO, values.get(i));
      expected.put(instances.get(i).target(), values.get(i));
    }
    try (PrometheusLoadSource source = new PrometheusLoadSource(config(), pool)) {
      LoadReading reading = Eventually.until(WAIT, "the exporters' values", source::fetch,
          r -> byInstance(r).equals(expected));
      assertThat(reading.instances()).hasSize(3);
      assertThat(reading.sum()).isCloseTo(values.stream().mapToDouble(Double::doubleValue).sum(),
          org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  /** namespace, scaledObject, value of the only series carrying those labels. */
  static Stream<Arguments> identities() {
    return Stream.of(
        Arguments.of("team-a", "fraud", 0.4),
        Arguments.of("team-b", "fraud", 0.6),
        Arguments.of("team-a", "churn", 0.1));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("identities")
  void placeholdersReachPrometheus(String namespace, String scaledObject, double value) throws SignalException {
    LoadConfig c = config(ServerDefaults.none(), namespace, scaledObject, "loadQuery",
        TENANT_METRIC + "{namespace=\"$namespace\",scaled_object=\"$scaledObject\"}");
    try (PrometheusLoadSource source = new PrometheusLoadSource(c, pool)) {
      LoadReading r = source.fetch();
      assertThat(r.instances()).extracting(LoadReading.InstanceLoad::load).containsExactly(value);
      assertThat(r.instances().get(0).instance()).isEqualTo(tenants.target());
    }
  }

  @Test
  void unknownIdentitySelectsNothing() throws SignalException {
    LoadConfig c = config(ServerDefaults.none(), "team-z", "fraud", "loadQuery",
        TENANT_METRIC + "{namespace=\"$namespace\",scaled_object=\"$scaledObject\"}");
    try (PrometheusLoadSource source = new PrometheusLoadSource(c, pool)) {
      assertThat(source.fetch().instances()).isEmpty();
    }
  }

  /** query, ignoreNullValues, expected instance count or failure category. */
  static Stream<Arguments> nullResults() {
    return Stream.of(
        Arguments.of(RATIO + "{job=\"no-such-job\"}", "true", 0, null),
        Arguments.of(RATIO + "{job=\"no-such-job\"}", "false", -1, "empty_result"),
        // Real Prometheus arithmetic: x/0 is +Inf for x > 0 and NaN for 0/0.
        Arguments.of(RATIO + "{job=\"model\"} / 0", "true", 0, null),
        Arguments.of(RATIO + "{job=\"model\"} / 0", "false", -1, "empty_result"),
        Arguments.of(RATIO + "{job=\"model\"} * 0 + 0.5", "false", 3, null));
  }

  @ParameterizedTest(name = "{0} ignoreNullValues={1}")
  @MethodSource("nullResults")
  void ignoreNullValuesDecidesBetweenNoInstancesAndAnError(String query, String ignore, int count, String category)
      throws SignalException {
    try (PrometheusLoadSource source = new PrometheusLoadSource(
        config("loadQuery", query, "ignoreNullValues", ignore), pool)) {
      if (category == null) {
        assertThat(source.fetch().instances()).hasSize(count);
      } else {
        assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class,
            e -> assertThat(e.category()).isEqualTo(category));
      }
    }
  }

  /** Real Prometheus' own error answers for queries it refuses. */
  static Stream<Arguments> refusedQueries() {
    return Stream.of(
        Arguments.of("sum(", "errorType=bad_data"),
        Arguments.of("rate(" + RATIO + ")", "errorType=bad_data"),
        Arguments.of(RATIO + "[1m]", "matrix"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedQueries")
  void prometheusErrorsAreReportedWithTheirType(String query, String fragment) {
    try (PrometheusLoadSource source = new PrometheusLoadSource(config("loadQuery", query), pool)) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isIn("prometheus_error", "bad_response");
        assertThat(e.getMessage()).contains(fragment);
      });
    }
  }

  @Test
  void headersParametersAndTheRotatedBearerTokenAreSent(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "tok-1\n");
    try (RecordingPrometheusProxy defaultServer = RecordingPrometheusProxy.start(prometheus.baseUrl());
         RecordingPrometheusProxy otherServer = RecordingPrometheusProxy.start(prometheus.baseUrl())) {
      ServerDefaults defaults = new ServerDefaults(Optional.of(defaultServer.baseUrl()), Optional.of(tokenFile),
          Duration.ofSeconds(30), Optional.empty(), Map.of(), Duration.ofSeconds(5), Duration.ofSeconds(60),
          Duration.ofMinutes(10));
      LoadConfig config = config(defaults, "team-a", "fraud",
          "loadQuery", RATIO + "{job=\"model\",namespace!=\"$namespace\"}",
          "customHeaders", "X-Scope-OrgID=team-a,X-Trace-Id=abc123",
          "queryParameters", "dedup=true,partial_response=false");
      try (PrometheusClientPool tokenPool = new PrometheusClientPool(defaults);
           PrometheusLoadSource source = new PrometheusLoadSource(config, tokenPool)) {
        assertThat(source.fetch().instances()).hasSize(3); // the answer still comes from Prometheus

        RecordedRequest first = defaultServer.requests().get(0);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo("/api/v1/query");
        assertThat(first.parameter("query")).containsExactly(RATIO + "{job=\"model\",namespace!=\"team-a\"}");
        assertThat(first.parameter("dedup")).containsExactly("true");
        assertThat(first.parameter("partial_response")).containsExactly("false");
        assertThat(first.header("X-Scope-OrgID")).isEqualTo("team-a");
        assertThat(first.header("X-Trace-Id")).isEqualTo("abc123");
        assertThat(first.header("Authorization")).isEqualTo("Bearer tok-1");

        rotate(tokenFile, "tok-2-rotated");
        source.fetch();
        assertThat(defaultServer.requests().get(1).header("Authorization")).isEqualTo("Bearer tok-2-rotated");

        // Another address named in metadata does not get the server's token.
        try (PrometheusLoadSource elsewhere = new PrometheusLoadSource(config(defaults, "team-a", "fraud",
            "serverAddress", otherServer.baseUrl(), "customHeaders", "X-Scope-OrgID=team-a"), tokenPool)) {
          assertThat(elsewhere.fetch().instances()).hasSize(3);
          RecordedRequest other = otherServer.requests().get(0);
          assertThat(other.header("Authorization")).isNull();
          assertThat(other.header("X-Scope-OrgID")).isEqualTo("team-a");
        }
        assertThat(config.describe().toString()).doesNotContain("tok-")
            .contains("bearerToken=<redacted> (from the server's token file)");
      }
    }
  }

  private static void rotate(Path tokenFile, String token) throws IOException {
    Path tmp = Files.writeString(tokenFile.resolveSibling("token.new"), token);
    Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().plusSeconds(2)));
    Files.move(tmp, tokenFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
