package dev.legitscaler.scaler.signal.kafka;

import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Consumer-group lag with KEDA's semantics, read through a pooled Admin client:
 * describeTopics, then the group's committed offsets and the latest offsets in parallel (KEDA's own
 * call pattern), then {@link LagCalculator}. Keeps the previous commits for excludePersistentLag.
 *
 * <p>Called by one background refresher per Watch, never concurrently for the same instance; fetch is
 * synchronized anyway so the persistent-lag memory is safely handed over if the refresher thread changes.
 */
public final class KafkaLagSource implements SignalSource<LagReading> {
  /** Failure categories ({@link SignalException#category()}), used as metric labels. */
  public static final String TIMEOUT = "timeout";
  public static final String CONNECT = "connect";
  public static final String UNKNOWN_TOPIC = "unknown_topic";
  public static final String UNKNOWN_GROUP = "unknown_group";
  public static final String NO_PARTITIONS = "no_partitions";
  public static final String AUTH = "auth";
  public static final String INTERRUPTED = "interrupted";
  public static final String KAFKA_ERROR = "kafka_error";

  /** Extra wait on a future beyond the Admin's own timeout, which normally fires first. */
  private static final long GRACE_NANOS = Duration.ofSeconds(1).toNanos();

  private final KafkaLagConfig config;
  private final KafkaAdminPool.Lease lease;
  private final Duration fetchTimeout;
  private final Set<Integer> partitionLimitation;
  /**
   * How long a topic's partition list is reused. Describing the topic is a round trip that must finish
   * before the offsets can be asked for, so reusing it makes a refresh one round trip shorter; a topic
   * gains partitions rarely, and this bounds how long a new one goes unseen. Any failed fetch forgets it.
   */
  static final Duration PARTITIONS_TTL = Duration.ofSeconds(30);

  private Map<TopicPartition, Long> committedSeen = Map.of();
  private TopicDescription described;
  private long describedAtNanos;
  private boolean closed;

  public KafkaLagSource(KafkaLagConfig config, KafkaAdminPool pool) {
    this(config, pool, pool.apiTimeout());
  }

  /** @param fetchTimeout upper bound of one whole fetch (all of its Admin calls together) */
  public KafkaLagSource(KafkaLagConfig config, KafkaAdminPool pool, Duration fetchTimeout) {
    this.config = config;
    this.fetchTimeout = fetchTimeout;
    this.partitionLimitation = Set.copyOf(config.partitionLimitation());
    this.lease = pool.acquire(config);
  }

  public KafkaLagConfig config() {
    return config;
  }

  @Override
  public synchronized LagReading fetch() throws SignalException {
    if (closed) {
      throw new IllegalStateException("KafkaLagSource is closed");
    }
    try {
      return fetchOnce();
    } catch (SignalException | RuntimeException e) {
      described = null; // the topic may be gone or changed: describe it again next time
      throw e;
    }
  }

  private LagReading fetchOnce() throws SignalException {
    long deadline = System.nanoTime() + fetchTimeout.toNanos();
    Admin admin = lease.admin();
    String group = config.consumerGroup();
    Map<TopicPartition, Long> committed;
    Map<TopicPartition, Long> latest;
    if (config.topic().isPresent()) {
      String topic = config.topic().get();
      TopicDescription description = describeCached(admin, topic, deadline);
      Set<TopicPartition> selected = selectPartitions(description);
      // Issue both reads before waiting on either: one round trip instead of two.
      KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> committedFuture = admin.listConsumerGroupOffsets(
          Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(selected)),
          new ListConsumerGroupOffsetsOptions().timeoutMs(remainingMs(deadline)))
          .partitionsToOffsetAndMetadata(group);
      ListOffsetsResult latestResult = listLatest(admin, selected, deadline);
      committed = committedOffsets(committedFuture, deadline, true);
      latest = latestOffsets(latestResult, selected, deadline);
    } else {
      // Every topic the group has commits for (KEDA lists the group's offsets to find them).
      committed = committedOffsets(admin.listConsumerGroupOffsets(
          Map.of(group, new ListConsumerGroupOffsetsSpec()),
          new ListConsumerGroupOffsetsOptions().timeoutMs(remainingMs(deadline)))
          .partitionsToOffsetAndMetadata(group), deadline, false);
      if (committed.isEmpty()) {
        throw new SignalException(UNKNOWN_GROUP, "consumer group '" + group + "' has no committed offsets "
            + "(it does not exist or never committed), so there is no topic to measure; set topic");
      }
      Set<String> topics = new TreeSet<>();
      committed.keySet().forEach(tp -> topics.add(tp.topic()));
      Set<TopicPartition> selected = new HashSet<>();
      for (TopicDescription d : describe(admin, topics, deadline).values()) {
        selected.addAll(selectPartitions(d));
      }
      latest = latestOffsets(listLatest(admin, selected, deadline), selected, deadline);
    }
    LagCalculator.Result result = LagCalculator.calculate(config, committed, latest, committedSeen);
    committedSeen = result.committedSeen();
    return result.reading();
  }

  /** The topic's partitions, filtered by partitionLimitation; none left is an error, as in KEDA. */
  private Set<TopicPartition> selectPartitions(TopicDescription d) throws SignalException {
    Set<TopicPartition> out = new HashSet<>();
    for (TopicPartitionInfo p : d.partitions()) {
      if (partitionLimitation.isEmpty() || partitionLimitation.contains(p.partition())) {
        out.add(new TopicPartition(d.name(), p.partition()));
      }
    }
    if (out.isEmpty()) {
      throw new SignalException(NO_PARTITIONS, "topic '" + d.name() + "' has " + d.partitions().size()
          + " partitions, none of them in partitionLimitation " + config.partitionLimitation());
    }
    return out;
  }

  private TopicDescription describeCached(Admin admin, String topic, long deadline) throws SignalException {
    long now = System.nanoTime();
    if (described == null || now - describedAtNanos > PARTITIONS_TTL.toNanos()) {
      described = describe(admin, List.of(topic), deadline).get(topic);
      describedAtNanos = now;
    }
    return described;
  }

  private Map<String, TopicDescription> describe(Admin admin, Collection<String> topics, long deadline)
      throws SignalException {
    return await(admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
        .allTopicNames(), deadline, "describing topics " + topics);
  }

  private ListOffsetsResult listLatest(Admin admin, Set<TopicPartition> partitions, long deadline) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    return admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(remainingMs(deadline)));
  }

  private Map<TopicPartition, Long> latestOffsets(ListOffsetsResult result, Set<TopicPartition> partitions,
      long deadline) throws SignalException {
    Map<TopicPartition, Long> latest = new HashMap<>();
    var all = await(result.all(), deadline, "listing latest offsets of group '" + config.consumerGroup() + "'");
    all.forEach((tp, info) -> latest.put(tp, info.offset()));
    latest.keySet().retainAll(partitions);
    return latest;
  }

  /** Committed offset per partition; a partition without a commit is absent or -1. */
  private Map<TopicPartition, Long> committedOffsets(KafkaFuture<Map<TopicPartition, OffsetAndMetadata>> f,
      long deadline, boolean unknownGroupMeansNoCommits) throws SignalException {
    Map<TopicPartition, OffsetAndMetadata> answer;
    try {
      answer = await(f, deadline, "listing committed offsets of group '" + config.consumerGroup() + "'");
    } catch (SignalException e) {
      if (unknownGroupMeansNoCommits && UNKNOWN_GROUP.equals(e.category())) {
        // KEDA treats a group that never committed like missing commits (offsetResetPolicy rules).
        return Map.of();
      }
      throw e;
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    answer.forEach((tp, om) -> out.put(tp, om == null ? LagCalculator.NO_COMMIT : om.offset()));
    return out;
  }

  private <T> T await(KafkaFuture<T> future, long deadline, String what) throws SignalException {
    try {
      long waitNanos = Math.max(0, deadline - System.nanoTime()) + GRACE_NANOS;
      return future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignalException(INTERRUPTED, what + ": interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      future.cancel(true);
      throw new SignalException(TIMEOUT, what + ": no answer within " + fetchTimeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw classify(e.getCause() == null ? e : e.getCause(), what);
    }
  }

  /** Maps a Kafka client failure to a short category and an operator-readable message. */
  static SignalException classify(Throwable t, String what) {
    String detail = what + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
    if (t instanceof TimeoutException) {
      // The Admin waits for a broker connection inside the same timeout: "node assignment" means it
      // never reached one (broker down or unreachable), anything else means a broker was too slow.
      String msg = String.valueOf(t.getMessage());
      String category = msg.contains("node assignment") || hasCause(t, DisconnectException.class)
          ? CONNECT : TIMEOUT;
      return new SignalException(category, detail, t);
    }
    if (t instanceof UnknownTopicOrPartitionException || t instanceof InvalidTopicException) {
      return new SignalException(UNKNOWN_TOPIC, detail, t);
    }
    if (t instanceof GroupIdNotFoundException) {
      return new SignalException(UNKNOWN_GROUP, detail, t);
    }
    if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
      return new SignalException(AUTH, detail, t);
    }
    if (t instanceof DisconnectException || t instanceof NetworkException) {
      return new SignalException(CONNECT, detail, t);
    }
    return new SignalException(KAFKA_ERROR, detail, t);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static int remainingMs(long deadline) {
    long ms = (deadline - System.nanoTime()) / 1_000_000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  /** Releases this source's share of the pooled Admin client. Idempotent, never throws. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      lease.close();
    }
  }
}
