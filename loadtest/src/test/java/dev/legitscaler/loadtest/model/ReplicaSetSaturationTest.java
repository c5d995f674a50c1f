package dev.legitscaler.loadtest.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replica set as the local platform runs it (Kafka broker and {@code model-server} JVMs started by
 * the platform's classes, the demo's replica sizing: 4 slots, 50 req/s, 3 partitions per replica), driven through steady offered loads from
 * 10 % to 90 % of its nominal capacity. Asserted, per load: every replica's exported {@code
 * ml_model_saturation_ratio} (median over the step) is within 0.1 of the load it is offered, and the set
 * serves what it is offered (no backlog building up under capacity). Latency and lag are printed with the
 * table (BENCHMARKS.md) but not asserted: they are wall-clock speeds of a shared machine.
 */
class ReplicaSetSaturationTest {

  private static final double[] LOADS = {0.1, 0.3, 0.5, 0.7, 0.8, 0.9};
  /**
   * Two replicas at time scale 2, not the demo's four at 6: at 6 the broker and four replicas need about
   * 0.8 of a core at 90 % (BENCHMARKS.md), which a 2-core machine shared with other builds does not always
   * give them, and a starved replica set falls behind and then really is saturated. {@code
   * -Dreplica.sweep.timeScale=6 -Dreplica.sweep.replicas=4} runs the demo's layout.
   */
  private static final double TIME_SCALE = Double.parseDouble(System.getProperty("replica.sweep.timeScale", "2"));
  private static final int REPLICAS = Integer.getInteger("replica.sweep.replicas", 2);

  @Test
  void everyReplicaReadsTheLoadItIsOfferedFromTenToNinetyPercent(@TempDir Path dir) throws Exception {
    ReplicaSetSweep.Setup setup = new ReplicaSetSweep.Setup(REPLICAS, 3 * REPLICAS, 4, 50, TIME_SCALE, Duration.ofSeconds(15),
        Duration.ofSeconds(20), 5);
    List<ReplicaSetSweep.Row> rows = new ArrayList<>();
    try (ReplicaSetSweep sweep = new ReplicaSetSweep(setup, dir)) {
      sweep.start(Duration.ofSeconds(180));
      sweep.warmUp();
      for (double load : LOADS) {
        rows.add(sweep.step(load));
      }
      System.out.println(ReplicaSetSweep.header());
      sweep.log().forEach(System.out::println);
    }
    for (int i = 0; i < LOADS.length; i++) {
      ReplicaSetSweep.Row r = rows.get(i);
      assertThat(r.offered()).as("offered load of step %d (the producer kept its rate)", i).isBetween(LOADS[i] - 0.05,
          LOADS[i] + 0.05);
      for (int replica = 0; replica < r.medianSaturationPerReplica().length; replica++) {
        assertThat(r.medianSaturationPerReplica()[replica])
            .as("replica %d's saturation at offered load %.2f", replica, r.offered())
            .isBetween(r.offered() - 0.1, r.offered() + 0.1);
      }
      // at least what was offered: more is a backlog of the step before being worked off
      assertThat((double) r.served()).as("served during the step at offered load %.2f", r.offered())
          .isGreaterThanOrEqualTo(0.9 * r.sent());
    }
  }
}
