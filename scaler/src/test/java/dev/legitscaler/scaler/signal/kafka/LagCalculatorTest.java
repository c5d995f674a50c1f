package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.signal.kafka.LagCases.Case;
import dev.legitscaler.scaler.signal.kafka.LagCases.E2eStep;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** KEDA's lag arithmetic as a pure function: every row of the spec table, no broker. */
class LagCalculatorTest {
  private static final String TOPIC = "t";

  static KafkaLagConfig config(Map<String, String> extra) {
    Map<String, String> md = new HashMap<>(extra);
    md.put("bootstrapServers", "localhost:9092");
    md.put("consumerGroup", "g");
    md.put("topic", TOPIC);
    return KafkaLagConfig.parseRequired(new Metadata(md), ServerDefaults.none());
  }

  private static TopicPartition tp(int p) {
    return new TopicPartition(TOPIC, p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.legitscaler.scaler.signal.kafka.LagCases#arguments")
  void lagArithmetic(Case c) {
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, Long> latest = new HashMap<>();
    for (int i = 0; i < c.partitions().size(); i++) {
      committed.put(tp(i), c.partitions().get(i).committed());
      latest.put(tp(i), c.partitions().get(i).latest());
    }
    LagReading r = LagCalculator.calculate(config(c.metadata()), committed, latest, Map.of()).reading();

    assertThat(r.totalLag()).as("totalLag").isEqualTo(c.totalLag());
    assertThat(r.totalLagWithPersistent()).as("totalLagWithPersistent").isEqualTo(c.totalLagWithPersistent());
    assertThat(r.partitions()).as("P").isEqualTo(c.partitions().size());
    assertThat(r.partitionsWithLag()).as("partitionsWithLag").isEqualTo(c.partitionsWithLag());
    assertThat(r.capped()).as("capped").isEqualTo(c.capped());
    assertThat(r.active()).as("active").isEqualTo(c.active());
    assertThat(r.partitionLags()).hasSize(c.partitions().size());
  }

  @Test
  void partitionMissingFromLatestAnswerCountsNothing() {
    // p1 has a commit far behind but the broker's latest-offset answer left it out (KEDA: lag 0, no
    // error, and it is not part of P).
    Map<TopicPartition, Long> committed = Map.of(tp(0), 10L, tp(1), 0L);
    Map<TopicPartition, Long> latest = Map.of(tp(0), 15L);
    LagReading r = LagCalculator.calculate(config(Map.of("lagThreshold", "1")), committed, latest, Map.of())
        .reading();
    assertThat(r.totalLag()).isEqualTo(1); // 5 capped at P = 1 partition × lagThreshold 1
    assertThat(r.totalLagWithPersistent()).isEqualTo(5);
    assertThat(r.partitions()).isEqualTo(1);
  }

  /** The committed offsets' sum tells the decision how much was consumed; unknown once one is missing. */
  @Test
  void committedTotalSumsEveryPartitionOrIsUnknown() {
    LagReading all = LagCalculator.calculate(config(Map.of()), Map.of(tp(0), 10L, tp(1), 25L),
        Map.of(tp(0), 15L, tp(1), 30L), Map.of()).reading();
    assertThat(all.committedTotal()).isEqualTo(35);
    LagReading missing = LagCalculator.calculate(config(Map.of()), Map.of(tp(0), 10L),
        Map.of(tp(0), 15L, tp(1), 30L), Map.of()).reading();
    assertThat(missing.committedTotal()).isEqualTo(-1);
  }

  @Test
  void commitAbsentFromCommittedMapCountsAsNoCommit() {
    LagReading latestPolicy = LagCalculator.calculate(config(Map.of()), Map.of(), Map.of(tp(0), 40L), Map.of())
        .reading();
    LagReading earliestPolicy = LagCalculator.calculate(config(Map.of("offsetResetPolicy", "earliest",
        "allowIdleConsumers", "true")), Map.of(), Map.of(tp(0), 40L), Map.of()).reading();
    assertThat(latestPolicy.totalLag()).isEqualTo(1);
    assertThat(earliestPolicy.totalLag()).isEqualTo(40);
  }

  /**
   * excludePersistentLag over consecutive polls of one partition with L fixed at 100:
   * committed offset per poll → expected totalLag, totalLagWithPersistent.
   */
  @ParameterizedTest(name = "excludePersistentLag: commits {0}")
  @CsvSource(delimiter = '|', value = {
      // commits per poll | totalLag per poll | withPersistent per poll
      "90               | 10               | 10",
      "90 90            | 10 0             | 10 10",
      "90 90 95         | 10 0 5           | 10 10 5",
      "90 90 95 95 95   | 10 0 5 0 0       | 10 10 5 5 5",
      "90 95 95 99      | 10 5 0 1         | 10 5 5 1",
  })
  void excludePersistentLagAcrossPolls(String commits, String totals, String withPersistent) {
    KafkaLagConfig cfg = config(Map.of("excludePersistentLag", "true", "allowIdleConsumers", "true"));
    String[] cs = commits.trim().split(" +");
    String[] ts = totals.trim().split(" +");
    String[] ws = withPersistent.trim().split(" +");
    Map<TopicPartition, Long> state = Map.of();
    for (int i = 0; i < cs.length; i++) {
      LagCalculator.Result res = LagCalculator.calculate(cfg, Map.of(tp(0), Long.parseLong(cs[i])),
          Map.of(tp(0), 100L), state);
      state = res.committedSeen();
      assertThat(res.reading().totalLag()).as("totalLag at poll %d", i).isEqualTo(Long.parseLong(ts[i]));
      assertThat(res.reading().totalLagWithPersistent()).as("withPersistent at poll %d", i)
          .isEqualTo(Long.parseLong(ws[i]));
      // persistent lag still keeps the target active
      assertThat(res.reading().active()).isEqualTo(Long.parseLong(ws[i]) > 0);
    }
  }

  @Test
  void withoutExcludePersistentLagAStuckCommitKeepsCounting() {
    KafkaLagConfig cfg = config(Map.of("allowIdleConsumers", "true"));
    Map<TopicPartition, Long> state = Map.of();
    for (int i = 0; i < 3; i++) {
      LagCalculator.Result res = LagCalculator.calculate(cfg, Map.of(tp(0), 90L), Map.of(tp(0), 100L), state);
      state = res.committedSeen();
      assertThat(res.reading().totalLag()).isEqualTo(10);
    }
  }

  @Test
  void keda2eActivationSteps() {
    KafkaLagConfig cfg = config(LagCases.E2E_METADATA);
    for (E2eStep step : LagCases.E2E_STEPS) {
      Map<TopicPartition, Long> committed = Map.of(tp(0), 0L, tp(1), 0L, tp(2), 0L);
      Map<TopicPartition, Long> latest = Map.of(tp(0), (long) step.p0(), tp(1), (long) step.p1(),
          tp(2), (long) step.p2());
      LagReading r = LagCalculator.calculate(cfg, committed, latest, Map.of()).reading();
      assertThat(r.totalLag()).as("%d messages", step.messages()).isEqualTo(step.totalLag());
      assertThat(r.active()).as("%d messages", step.messages()).isEqualTo(step.active());
      assertThat(LagCases.replicas(r, cfg.lagThreshold())).as("%d messages", step.messages())
          .isEqualTo(step.replicas());
    }
  }

  @Test
  void detailKeepsTheLargestLagsOnly() {
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, Long> latest = new HashMap<>();
    for (int p = 0; p < 100; p++) {
      committed.put(tp(p), 0L);
      latest.put(tp(p), (long) p);
    }
    LagReading r = LagCalculator.calculate(config(Map.of()), committed, latest, Map.of()).reading();
    assertThat(r.partitions()).isEqualTo(100);
    assertThat(r.partitionLags()).hasSize(LagCalculator.DETAIL_LIMIT);
    assertThat(r.partitionLags().get(0).partition()).isEqualTo(99);
    assertThat(r.partitionLags().get(0).lag()).isEqualTo(99);
  }

  @ParameterizedTest(name = "next factor: lag {0}, P {1}, threshold {2} -> {3}")
  @CsvSource({
      "35, 10, 10, 5",
      "1, 10, 10, 1",
      "11, 10, 10, 2",
      "101, 10, 10, 10",
      "0, 6, 5, 1",
      "7, 7, 1, 7",
      "5, 0, 1, 0",
  })
  void nextFactorBalancingPartitions(long lag, long partitions, long threshold, long expected) {
    assertThat(LagCalculator.nextFactorBalancingPartitions(lag, partitions, threshold)).isEqualTo(expected);
  }
}
