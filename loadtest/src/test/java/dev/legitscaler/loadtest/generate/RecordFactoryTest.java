package dev.legitscaler.loadtest.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RecordFactoryTest {

  // a few heavy clients among many: whatever the keys, every partition must get the same share
  static final String SKEWED = """
      name: skewed
      seed: 5
      duration: 20s
      legitimate:
        rate: 200
        activeClients: 30
        ratePerClient: {distribution: lognormal, sigma: 1.5}
        phases:
          - {kind: steady, name: calm, duration: 20s}
      """;

  private static List<TrafficEvent> events() {
    Scenario s = new ScenarioLoader().parse("skewed.yaml", SKEWED);
    return TrafficModel.of(s).eventsBetween(Duration.ZERO, s.duration()).collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 12})
  void everyRecordGoesToTheNextPartitionInTurn(int partitions) {
    RecordFactory factory = new RecordFactory("t", 5, partitions);
    List<TrafficEvent> events = events();
    assertThat(events).hasSizeGreaterThan(1000);
    long[] perPartition = new long[partitions];
    int expected = 0;
    for (TrafficEvent e : events) {
      ProducerRecord<byte[], byte[]> r = factory.record(e, 1_780_000_000_000_000L);
      // in turn, not in runs: a run of records on one partition is a burst on the replica that owns it
      assertThat(r.partition()).isEqualTo(expected);
      expected = (expected + 1) % partitions;
      perPartition[r.partition()]++;
    }
    long min = java.util.Arrays.stream(perPartition).min().orElseThrow();
    long max = java.util.Arrays.stream(perPartition).max().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  @Test
  void withoutAPartitionCountTheProducerChooses() {
    RecordFactory factory = new RecordFactory("t", 5, 0);
    assertThat(factory.record(events().get(0), 1_780_000_000_000_000L).partition()).isNull();
  }

  @Test
  void aNegativePartitionCountIsRefused() {
    assertThatThrownBy(() -> new RecordFactory("t", 5, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partitions");
  }

  @Test
  void theAddressGoesOnTheRecordOnlyWhenItIsNotTheIdentity() {
    RecordFactory factory = new RecordFactory("t", 5, 0);
    TrafficEvent plain = events().get(0);
    assertThat(plain.address()).isNull();
    assertThat(RequestHeaders.text(factory.record(plain, 1_780_000_000_000_000L).headers(),
        RequestHeaders.CLIENT_ADDRESS)).isNull();
    TrafficEvent hijacked = new TrafficEvent(plain.atNanos(), plain.eventId(), plain.clientId(), "77.0.3.9",
        plain.valid(), plain.phase(), "bots", true, null, null, null, plain.payload());
    ProducerRecord<byte[], byte[]> r = factory.record(hijacked, 1_780_000_000_000_000L);
    assertThat(RequestHeaders.text(r.headers(), RequestHeaders.CLIENT_ID)).isEqualTo(plain.clientId());
    assertThat(RequestHeaders.text(r.headers(), RequestHeaders.CLIENT_ADDRESS)).isEqualTo("77.0.3.9");
  }
}
