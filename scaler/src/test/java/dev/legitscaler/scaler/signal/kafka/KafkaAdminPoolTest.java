package dev.legitscaler.scaler.signal.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.scaler.config.ServerDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reference counting and keying of the Admin pool. Admin clients connect lazily, so no broker is
 * needed to see how many exist (the addresses below are never contacted by these tests).
 */
class KafkaAdminPoolTest {
  private static final List<String> A = List.of("127.0.0.1:19092");
  private static final List<String> B = List.of("127.0.0.1:19093");

  @Test
  void oneClientPerClusterAndPropertiesClosedByTheLastUser() {
    try (KafkaAdminPool pool = new KafkaAdminPool(Duration.ofSeconds(2))) {
      KafkaAdminPool.Lease a1 = pool.acquire(A, Map.of());
      KafkaAdminPool.Lease a2 = pool.acquire(A, Map.of());
      Admin first = a1.admin();
      assertThat(a2.admin()).isSameAs(first);
      assertThat(pool.openClients()).isEqualTo(1);

      KafkaAdminPool.Lease b = pool.acquire(B, Map.of());
      KafkaAdminPool.Lease aOtherSecurity = pool.acquire(A, Map.of("client.dns.lookup", "use_all_dns_ips"));
      assertThat(b.admin()).isNotSameAs(first);
      assertThat(aOtherSecurity.admin()).isNotSameAs(first);
      assertThat(pool.openClients()).isEqualTo(3);

      a1.close();
      a1.close(); // a second close must not release a2's share
      assertThat(pool.openClients()).isEqualTo(3);
      assertThatThrownBy(a1::admin).isInstanceOf(IllegalStateException.class);
      a2.close();
      assertThat(pool.openClients()).isEqualTo(2);

      KafkaAdminPool.Lease again = pool.acquire(A, Map.of());
      assertThat(again.admin()).as("a new client after the last user left").isNotSameAs(first);
      again.close();
      b.close();
      aOtherSecurity.close();
      assertThat(pool.openClients()).isZero();
    }
  }

  @Test
  void closedPoolRefusesNewUsersAndLateReleasesAreHarmless() {
    KafkaAdminPool pool = new KafkaAdminPool(Duration.ofSeconds(2));
    KafkaAdminPool.Lease lease = pool.acquire(A, Map.of());
    pool.close();
    assertThat(pool.openClients()).isZero();
    lease.close();
    assertThatThrownBy(() -> pool.acquire(A, Map.of())).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest(name = "refreshInterval {0} -> API timeout {1}")
  @CsvSource({"PT0.2S, PT1S", "PT3S, PT3S", "PT5S, PT5S", "PT30S, PT5S"})
  void apiTimeoutFollowsTheRefreshIntervalWithinBounds(Duration refresh, Duration expected) {
    ServerDefaults defaults = new ServerDefaults(Optional.empty(), Optional.empty(), Duration.ofSeconds(3),
        Optional.empty(), Map.of(), refresh, Duration.ofSeconds(60), Duration.ofMinutes(10));
    try (KafkaAdminPool pool = new KafkaAdminPool(defaults)) {
      assertThat(pool.apiTimeout()).isEqualTo(expected);
    }
  }
}
