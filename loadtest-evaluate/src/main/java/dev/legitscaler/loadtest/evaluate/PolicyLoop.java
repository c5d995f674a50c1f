package dev.legitscaler.loadtest.evaluate;

import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.hpa.HpaController;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.hpa.ReconcileResult;
import dev.legitscaler.loadtest.hpa.ScaleTarget;
import dev.legitscaler.scaler.decision.Decision;
import dev.legitscaler.scaler.decision.DecisionInput;
import dev.legitscaler.scaler.decision.DecisionPolicy;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.DecisionState;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig;
import dev.legitscaler.scaler.signal.kafka.LagCalculator;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;

/**
 * One policy's closed loop: its replicas, the scaler's decision over their signals, and its own HPA.
 * The legitimacy-aware policy and the naive one are two instances fed the same traffic.
 */
final class PolicyLoop {
  private final DecisionPolicy policy;
  private final boolean loadConfigured;
  private final Optional<KafkaLagConfig> lagConfig;
  private final int partitions;
  private final String metricName;
  private final HpaController hpa;
  private final ReplicaPool pool;
  private final List<TopicPartition> topicPartitions = new ArrayList<>();
  private Map<TopicPartition, Long> committedSeen = Map.of();
  private DecisionState state = DecisionState.INITIAL;
  private DecisionResult last;
  private double lastBusy;
  private long lastLag;

  PolicyLoop(DecisionPolicy policy, boolean loadConfigured, Optional<KafkaLagConfig> lagConfig, int partitions,
      HpaSpec spec, Clock clock, ReplicaPool pool) {
    this.policy = policy;
    this.loadConfigured = loadConfigured;
    this.lagConfig = lagConfig;
    this.partitions = partitions;
    this.metricName = spec.metrics().get(0).name();
    this.hpa = new HpaController(spec, ControllerConfig.defaults(), clock);
    this.pool = pool;
    String topic = lagConfig.flatMap(KafkaLagConfig::topic).orElse("requests");
    for (int p = 0; p < partitions; p++) {
      topicPartitions.add(new TopicPartition(topic, p));
    }
  }

  ReplicaPool pool() {
    return pool;
  }

  DecisionResult last() {
    return last;
  }

  double lastBusy() {
    return lastBusy;
  }

  long lastLag() {
    return lastLag;
  }

  /** One scaler refresh: read the signals, run the scaler's own decision. */
  void refresh(long nowMillis, SignalState<LegitimacyReading> legitimacy) {
    lastBusy = pool.takeBusyShare();
    lastLag = pool.lag();
    SignalState<LoadReading> load = new SignalState.Off<>("no loadQuery");
    if (loadConfigured) {
      int ready = pool.ready(nowMillis);
      List<LoadReading.InstanceLoad> instances = new ArrayList<>(ready);
      for (int i = 0; i < ready; i++) {
        instances.add(new LoadReading.InstanceLoad("pod-" + i, lastBusy));
      }
      load = new SignalState.Fresh<>(new LoadReading(instances), Duration.ZERO);
    }
    SignalState<LagReading> lag = new SignalState.Off<>("no Kafka lag trigger");
    if (lagConfig.isPresent()) {
      lag = new SignalState.Fresh<>(lagReading(lagConfig.get()), Duration.ZERO);
    }
    last = Decision.decide(policy, new DecisionInput(load, lag, legitimacy, state));
    state = state.after(last);
  }

  /**
   * The queue spread evenly over the partitions, through KEDA's own lag arithmetic (the cap at
   * partitions × lagThreshold unless allowIdleConsumers, persistent lag, ...).
   */
  private LagReading lagReading(KafkaLagConfig config) {
    long lag = pool.lag();
    long consumed = pool.producedOffset() - lag;
    Map<TopicPartition, Long> committed = new HashMap<>();
    Map<TopicPartition, Long> latest = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      long c = consumed / partitions + (p < consumed % partitions ? 1 : 0);
      long l = lag / partitions + (p < lag % partitions ? 1 : 0);
      committed.put(topicPartitions.get(p), c);
      latest.put(topicPartitions.get(p), c + l);
    }
    LagCalculator.Result r = LagCalculator.calculate(config, committed, latest, committedSeen);
    committedSeen = r.committedSeen();
    return r.reading();
  }

  /** One HPA sync: the metrics adapter serves the last published value; the HPA may rescale. */
  void sync(long nowMillis) {
    if (last == null || !last.available()) {
      return; // nothing published yet: KEDA's adapter has no value, the HPA keeps the size
    }
    int spec = pool.replicas();
    long milli = last.valueFloat() > 0 ? Quantities.fromKedaDouble(last.valueFloat()) : last.value() * 1000;
    ReconcileResult r = hpa.reconcile(new ScaleTarget(spec, spec, new PodCounts(spec, pool.ready(nowMillis))),
        name -> name.equals(metricName) ? MetricReading.Values.of(milli) : new MetricReading.Failed("unknown metric " + name));
    if (r.desiredReplicas() != spec) {
      pool.scaleTo(r.desiredReplicas(), nowMillis);
    }
  }
}
