package dev.legitscaler.scaler.signal.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusClientPoolTest {
  static LoadConfig load(String address) {
    return LoadConfig.parse(new Metadata(Map.of("serverAddress", address, "loadQuery", "up")),
        ServerDefaults.none(), "ns", "so").orElseThrow();
  }

  @Test
  void sourcesOnTheSameAddressShareOneClientUntilTheLastReleases() {
    try (PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none())) {
      PrometheusClient a = pool.acquire("http://127.0.0.1:9");
      PrometheusClient b = pool.acquire("http://127.0.0.1:9");
      PrometheusClient other = pool.acquire("http://127.0.0.1:10");
      assertThat(b).isSameAs(a);
      assertThat(other).isNotSameAs(a);
      assertThat(pool.openClients()).isEqualTo(2);
      assertThat(pool.users("http://127.0.0.1:9")).isEqualTo(2);

      pool.release(a);
      assertThat(a.isClosed()).isFalse();
      assertThat(pool.users("http://127.0.0.1:9")).isEqualTo(1);
      pool.release(b);
      assertThat(a.isClosed()).isTrue();
      assertThat(pool.openClients()).isEqualTo(1);
      assertThat(other.isClosed()).isFalse();

      PrometheusClient again = pool.acquire("http://127.0.0.1:9");
      assertThat(again).isNotSameAs(a);
      assertThat(again.isClosed()).isFalse();
      assertThatThrownBy(() -> a.query(new PrometheusQuery("up", Map.of(), Map.of(), Duration.ofSeconds(1))))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void addressesThatNormalizeAlikeShareAClientAndSourcesReleaseOnce() {
    try (PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none())) {
      PrometheusLoadSource s1 = new PrometheusLoadSource(load("http://LOCALHOST:9090/"), pool);
      PrometheusLoadSource s2 = new PrometheusLoadSource(load("http://localhost:9090"), pool);
      assertThat(pool.openClients()).isEqualTo(1);
      assertThat(pool.users("http://localhost:9090")).isEqualTo(2);
      s1.close();
      s1.close(); // idempotent: must not release s2's share
      assertThat(pool.users("http://localhost:9090")).isEqualTo(1);
      s2.close();
      assertThat(pool.openClients()).isZero();
    }
  }

  @Test
  void closingThePoolClosesClientsStillHeld() {
    PrometheusClientPool pool = new PrometheusClientPool(ServerDefaults.none());
    PrometheusClient c = pool.acquire("http://127.0.0.1:9");
    pool.close();
    assertThat(c.isClosed()).isTrue();
    pool.release(c); // late release after shutdown is harmless
    assertThatThrownBy(() -> pool.acquire("http://127.0.0.1:9")).isInstanceOf(IllegalStateException.class);
  }
}
