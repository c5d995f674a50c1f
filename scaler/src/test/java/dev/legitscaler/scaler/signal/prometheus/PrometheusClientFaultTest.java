package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.decision.LoadReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.legitimacy.prometheus.LegitimacyQueryConfig;
import dev.legitscaler.scaler.legitimacy.prometheus.PrometheusLegitimacySource;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture.Answer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Faults a real Prometheus will not produce on demand, from {@link FaultyPrometheusFixture}. */
class PrometheusClientFaultTest {
  static FaultyPrometheusFixture faulty;
  static PrometheusClientPool pool;

  @BeforeAll
  static void start() {
    faulty = FaultyPrometheusFixture.start();
    pool = new PrometheusClientPool(ServerDefaults.none());
  }

  @AfterAll
  static void stop() {
    pool.close();
    faulty.close();
  }

  static PrometheusLoadSource loadSource(String... pairs) {
    Map<String, String> md = new HashMap<>(Map.of("serverAddress", faulty.baseUrl(), "loadQuery", "ratio",
        "timeout", "30s"));
    for (int i = 0; i < pairs.length; i += 2) {
      md.put(pairs[i], pairs[i + 1]);
    }
    return new PrometheusLoadSource(
        LoadConfig.parse(new Metadata(md), ServerDefaults.none(), "ns", "so").orElseThrow(), pool);
  }

  static String[] series(String labelsJson, String value) {
    return new String[] {labelsJson, value};
  }

  /** answer, expected category, fragment of the message. */
  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of("HTTP 500 page", Answer.text(500, "Internal Server Error"), "http_5xx", "HTTP 500"),
        Arguments.of("HTTP 502 empty", Answer.text(502, ""), "http_5xx", "(empty body)"),
        Arguments.of("HTTP 404", Answer.text(404, "404 page not found"), "http_4xx", "404 page not found"),
        Arguments.of("HTTP 401", Answer.text(401, "Unauthorized"), "http_4xx", "HTTP 401"),
        Arguments.of("redirect", Answer.text(302, ""), "bad_response", "HTTP 302"),
        Arguments.of("garbage body", Answer.text(200, "<html>hello</html>"), "bad_response", "not JSON"),
        Arguments.of("truncated JSON", Answer.json(200, "{\"status\":\"success\",\"data\":{"), "bad_response", "not JSON"),
        Arguments.of("JSON array", Answer.json(200, "[1,2]"), "bad_response", "not JSON"),
        Arguments.of("no status", Answer.json(200, "{\"data\":{}}"), "bad_response", "status"),
        Arguments.of("no resultType", Answer.json(200, "{\"status\":\"success\",\"data\":{}}"), "bad_response", "resultType"),
        Arguments.of("matrix", Answer.json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"),
            "bad_response", "matrix"),
        Arguments.of("value not a number", Answer.json(200, FaultyPrometheusFixture.vector(series("{}", "lots"))),
            "bad_response", "not a number"),
        Arguments.of("value missing", Answer.json(200,
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{}}]}}"),
            "bad_response", "[time, \"value\"]"),
        Arguments.of("status error on 200", Answer.json(200,
            "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples\"}"),
            "prometheus_error", "errorType=execution: query processing would load too many samples"),
        Arguments.of("status error on 503", Answer.json(503,
            "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}"),
            "prometheus_error", "HTTP 503 errorType=timeout"),
        Arguments.of("slower than timeout", Answer.json(200, FaultyPrometheusFixture.vector()).after(Duration.ofMinutes(5)),
            "timeout", "within 1000 ms"),
        Arguments.of("headers then a stalled body", Answer.json(200, FaultyPrometheusFixture.vector())
            .stallingBody(Duration.ofMinutes(5)), "timeout", "within 1000 ms"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("faults")
  void faultBecomesACategorizedSignalException(String name, Answer answer, String category, String fragment) {
    faulty.answer(answer);
    // Answers that come at once get a timeout no busy machine reaches; the slow ones a short one.
    try (PrometheusLoadSource source = loadSource("timeout", category.equals("timeout") ? "1s" : "30s")) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isEqualTo(category);
        assertThat(e.getMessage()).contains(fragment);
      });
    }
  }

  @Test
  void oversizedAnswerIsRefusedNotBuffered() {
    faulty.answer(Answer.json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"pad\":\"" + "x".repeat((int) PrometheusClient.MAX_BODY_BYTES) + "\"},\"value\":[1,\"1\"]}]}}"));
    // A generous timeout: this is about the size limit, and 16 MiB may take a while on a busy machine.
    try (PrometheusLoadSource source = loadSource("timeout", "2m")) {
      assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isEqualTo("bad_response");
        assertThat(e.getMessage()).contains("larger than " + PrometheusClient.MAX_BODY_BYTES + " bytes");
      });
    }
  }

  /** value as Prometheus writes it, ignoreNullValues, expected loads or expected category. */
  static Stream<Arguments> nullValues() {
    return Stream.of(
        Arguments.of("NaN", "true", List.of(0.25), null),
        Arguments.of("+Inf", "true", List.of(0.25), null),
        Arguments.of("-Inf", "true", List.of(0.25), null),
        Arguments.of("NaN", "false", null, "empty_result"),
        Arguments.of("+Inf", "false", null, "empty_result"),
        Arguments.of("-Inf", "false", null, "empty_result"),
        Arguments.of("0.5", "false", List.of(0.25, 0.5), null),
        Arguments.of("1e-3", "true", List.of(0.25, 0.001), null));
  }

  @ParameterizedTest(name = "second series {0}, ignoreNullValues={1}")
  @MethodSource("nullValues")
  void nonFiniteValuesFollowIgnoreNullValues(String value, String ignore, List<Double> loads, String category)
      throws SignalException {
    faulty.answer(Answer.json(200, FaultyPrometheusFixture.vector(
        series("{\"instance\":\"a:8080\"}", "0.25"), series("{\"instance\":\"b:8080\"}", value))));
    try (PrometheusLoadSource source = loadSource("ignoreNullValues", ignore)) {
      if (category != null) {
        assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class,
            e -> assertThat(e.category()).isEqualTo(category));
      } else {
        assertThat(source.fetch().instances()).extracting(LoadReading.InstanceLoad::load).containsExactlyElementsOf(loads);
      }
    }
  }

  @Test
  void scalarAnswerIsOneInstance() throws SignalException {
    faulty.answer(Answer.json(200,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"0.42\"]}}"));
    try (PrometheusLoadSource source = loadSource()) {
      assertThat(source.fetch().instances()).containsExactly(new LoadReading.InstanceLoad("{}", 0.42));
    }
  }

  /** legitimacy answer body, expected score (or null) and category. */
  static Stream<Arguments> legitimacyAnswers() {
    return Stream.of(
        Arguments.of(FaultyPrometheusFixture.vector(series("{}", "0.8")), 0.8, null),
        Arguments.of(FaultyPrometheusFixture.vector(series("{}", "1.7")), 1.0, null),
        Arguments.of(FaultyPrometheusFixture.vector(series("{}", "-0.2")), 0.0, null),
        Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"0.3\"]}}", 0.3, null),
        Arguments.of(FaultyPrometheusFixture.vector(series("{}", "NaN")), null, "empty_result"),
        Arguments.of(FaultyPrometheusFixture.vector(series("{}", "+Inf")), null, "empty_result"),
        Arguments.of(FaultyPrometheusFixture.vector(), null, "empty_result"),
        Arguments.of(FaultyPrometheusFixture.vector(series("{\"a\":\"1\"}", "0.5"), series("{\"a\":\"2\"}", "0.5")),
            null, "bad_response"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("legitimacyAnswers")
  void legitimacyAnswerBecomesAClampedScoreOrAFailure(String body, Double score, String category)
      throws SignalException {
    faulty.answer(Answer.json(200, body));
    LegitimacyQueryConfig config = LegitimacyQueryConfig.parse(new Metadata(Map.of(
        "legitimacyQuery", "share", "serverAddress", faulty.baseUrl())), ServerDefaults.none(), "ns", "so");
    try (PrometheusLegitimacySource source = new PrometheusLegitimacySource(config, pool)) {
      if (category != null) {
        assertThatThrownBy(source::fetch).isInstanceOfSatisfying(SignalException.class,
            e -> assertThat(e.category()).isEqualTo(category));
      } else {
        assertThat(source.fetch().score()).isEqualTo(score);
      }
    }
  }
}
