package dev.legitscaler.loadtest.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * A stop that wakes the consumer while it commits a served batch: the batch is still committed and the
 * worker goes on to write its summary (the HTTP platform check once found no workers-summary.json
 * because the WakeupException escaped the commit).
 */
class CommitServedTest {
  private static final TopicPartition P0 = new TopicPartition("ml-requests", 0);

  /** Fault injection: the first commit is interrupted by a wake-up, as {@code stop()} can cause. */
  private static final class WakeupOnFirstCommitConsumer extends MockConsumer<byte[], byte[]> {
    private int commits;

    WakeupOnFirstCommitConsumer() {
      super("earliest");
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (commits++ == 0) {
        throw new WakeupException();
      }
      super.commitSync(offsets);
    }
  }

  @Test
  void aWakeupDuringTheCommitStillCommitsTheServedBatch() {
    WakeupOnFirstCommitConsumer kc = new WakeupOnFirstCommitConsumer();
    kc.assign(java.util.List.of(P0));

    HttpWorkers.commitServed(kc, Map.of(P0, new OffsetAndMetadata(42)));

    assertThat(kc.committed(java.util.Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(42));
    assertThat(kc.commits).isEqualTo(2);
  }

  @Test
  void aPlainCommitIsMadeOnce() {
    WakeupOnFirstCommitConsumer kc = new WakeupOnFirstCommitConsumer();
    kc.commits = 1; // no wake-up pending
    kc.assign(java.util.List.of(P0));

    HttpWorkers.commitServed(kc, Map.of(P0, new OffsetAndMetadata(7)));

    assertThat(kc.committed(java.util.Set.of(P0))).containsEntry(P0, new OffsetAndMetadata(7));
    assertThat(kc.commits).isEqualTo(2);
  }
}
