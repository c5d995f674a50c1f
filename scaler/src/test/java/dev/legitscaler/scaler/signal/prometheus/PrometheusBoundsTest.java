package dev.legitscaler.scaler.signal.prometheus;

import dev.legitscaler.scaler.decision.LoadReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture;
import dev.legitscaler.scaler.testing.FaultyPrometheusFixture.Answer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bounds of the Prometheus family: series per query, loads out of range, one transport per origin,
 * values rejected at parse time. Answers come from the fault-injecting fixture.
 */
class PrometheusBoundsTest {
  static LoadConfig load(Map<String, String> md) {
    return LoadConfig.parse(new Metadata(md), ServerDefaults.none(), "ns", "so").orElseThrow();
  }

  @Test
  void moreSeriesThanTheCapFailTheRefreshNamingTheFlag() throws Exception {
    String[][] series = new String[50][];
    for (int i = 0; i < series.length; i++) {
      series[i] = new String[] {"{\"pod\":\"p" + i + "\"}", "0.1"};
    }
    try (FaultyPrometheusFixture faulty = FaultyPrometheusFixture.start()
        .answer(Answer.json(200, FaultyPrometheusFixture.vector(series)));
         PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none(), 20)) {
      PrometheusLoadSource s = new PrometheusLoadSource(load(Map.of("serverAddress", faulty.baseUrl(),
          "loadQuery", "q")), pool);
      assertThatThrownBy(s::fetch).isInstanceOfSatisfying(SignalException.class, e -> {
        assertThat(e.category()).isEqualTo("too_many_series");
        assertThat(e.getMessage()).contains("50 series", "at most 20", "--max-series-per-query");
      });
      s.close();
    }
  }

  @Test
  void aNegativeOrHugeInstanceIsListedAsAnErrorAndNotSummed() throws Exception {
    try (FaultyPrometheusFixture faulty = FaultyPrometheusFixture.start()
        .answer(Answer.json(200, FaultyPrometheusFixture.vector(new String[] {"{\"pod\":\"a\"}", "0.6"},
            new String[] {"{\"pod\":\"b\"}", "-5"}, new String[] {"{\"pod\":\"c\"}", "0.3"},
            new String[] {"{\"pod\":\"d\"}", "1e6"})));
         PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none())) {
      PrometheusLoadSource s = new PrometheusLoadSource(load(Map.of("serverAddress", faulty.baseUrl(),
          "loadQuery", "q")), pool);
      LoadReading r = s.fetch();
      assertThat(r.sum()).isEqualTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(r.instances()).hasSize(2);
      assertThat(r.rejected()).extracting(LoadReading.RejectedInstance::load).containsExactly(-5.0, 1e6);
      assertThat(r.rejected().get(0).error()).contains("outside the accepted range [0.0, 10.0]");

      faulty.answer(Answer.json(200, FaultyPrometheusFixture.vector(new String[] {"{\"pod\":\"b\"}", "-1"})));
      assertThatThrownBy(s::fetch).isInstanceOfSatisfying(SignalException.class,
          e -> assertThat(e.category()).isEqualTo("out_of_range"));
      s.close();
    }
  }

  @Test
  void manyPathsOnOneServerShareOneTransport() {
    try (PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none(), 100, 2)) {
      for (int i = 0; i < 50; i++) {
        pool.acquire("http://127.0.0.1:9/tenant-" + i);
      }
      assertThat(pool.openClients()).isEqualTo(50);
      assertThat(pool.openTransports()).isEqualTo(1);
      pool.acquire("http://127.0.0.1:10");
      assertThatThrownBy(() -> pool.acquire("http://127.0.0.1:11"))
          .isInstanceOf(PrometheusClientPool.LimitReached.class).hasMessageContaining("2 Prometheus origins");
    }
  }

  @Test
  void valuesThatWouldFailEveryRefreshAreRejectedAtParseTime() {
    for (String address : new String[] {"http://127.0.0.1:0", "http://127.0.0.1:99999"}) {
      assertThatThrownBy(() -> load(Map.of("serverAddress", address, "loadQuery", "q")))
          .isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("serverAddress");
            assertThat(e.getMessage()).contains("port from 1 to 65535");
          });
    }
    for (String header : new String[] {"X-Team=caf\u00e9", "X-Team=a\u2028b"}) {
      assertThatThrownBy(() -> load(Map.of("serverAddress", "http://p:9090", "loadQuery", "q",
          "customHeaders", header)))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("customHeaders"));
    }
    for (String number : new String[] {"0x1p-2", "0.7f", "0.7d", "Infinity", "4.9e-324", "0.0004", "1e-9999"}) {
      assertThatThrownBy(() -> load(Map.of("serverAddress", "http://p:9090", "loadQuery", "q",
          "targetLoad", number)))
          .as(number)
          .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("targetLoad"));
    }
    assertThat(load(Map.of("serverAddress", "http://p:9090", "loadQuery", "q", "targetLoad", ".5")).targetLoad())
        .isEqualTo(0.5);
    assertThat(load(Map.of("serverAddress", "http://p:9090", "loadQuery", "q", "targetLoad", "5e-1")).targetLoad())
        .isEqualTo(0.5);
  }
}
