package dev.legitscaler.scaler.grpc;

import dev.legitscaler.proto.diagnostics.v1.DecisionTerms;
import dev.legitscaler.proto.diagnostics.v1.Explanation;
import dev.legitscaler.proto.diagnostics.v1.FlaggedClient;
import dev.legitscaler.proto.diagnostics.v1.InstanceLoad;
import dev.legitscaler.proto.diagnostics.v1.LagTerm;
import dev.legitscaler.proto.diagnostics.v1.LegitimacyTerm;
import dev.legitscaler.proto.diagnostics.v1.LoadTerm;
import dev.legitscaler.proto.diagnostics.v1.PartitionLag;
import dev.legitscaler.proto.diagnostics.v1.SignalStatus;
import dev.legitscaler.proto.diagnostics.v1.WatchSummary;
import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.decision.LagReading;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.watch.SignalHistory;
import dev.legitscaler.scaler.watch.Snapshot;
import dev.legitscaler.scaler.watch.Watch;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Renders a Watch's config and latest snapshot as the diagnostics messages. */
final class Explanations {
  private Explanations() {}

  static Explanation explain(Watch w, Instant now) {
    ScalerConfig c = w.config();
    Explanation.Builder b = Explanation.newBuilder()
        .setNamespace(c.namespace())
        .setName(c.name())
        .setMetricName(c.metricName())
        .setMetricEncoding(c.policy().encoding().keyword())
        .setTarget(c.target())
        .putAllConfig(c.describe());
    Optional<Snapshot> current = w.current();
    if (current.isEmpty()) {
      return b.setState("warming-up").setSummary("warming-up: no refresh has completed yet").build();
    }
    Snapshot s = current.get();
    DecisionResult r = s.result();
    String state = state(w, s, now);
    b.setState(state)
        .setPublishedValue(r.value())
        .setPublishedValueFloat(r.valueFloat())
        .setActive(r.active())
        .setDecidedAt(s.decidedAt().toString())
        .setSummary(state.equals(r.state()) ? r.summary()
            : state + ": the newest demand reading is older than staleAfter, GetMetrics answers UNAVAILABLE");

    LoadTerm.Builder load = LoadTerm.newBuilder().setStatus(status(s.load(), s.input().load(), now))
        .setTargetLoad(c.policy().targetLoad()).setDemand(nan0(r.loadDemand()));
    s.input().load().usable().ifPresent(l -> {
      for (LoadReading.InstanceLoad i : l.instances()) {
        load.addInstances(InstanceLoad.newBuilder().setInstance(i.instance()).setLoad(i.load()));
      }
      for (LoadReading.RejectedInstance i : l.rejected()) {
        load.addInstances(InstanceLoad.newBuilder().setInstance(i.instance()).setLoad(i.load()).setError(i.error()));
      }
      load.setSum(l.sum());
    });
    b.setLoad(load);

    LagTerm.Builder lag = LagTerm.newBuilder().setStatus(status(s.lag(), s.input().lag(), now))
        .setLagThreshold(c.policy().lagThreshold()).setDemand(nan0(r.lagDemand()));
    s.input().lag().usable().ifPresent(l -> {
      lag.setTotalLag(l.totalLag()).setTotalLagWithPersistent(l.totalLagWithPersistent())
          .setPartitions(l.partitions()).setPartitionsWithLag(l.partitionsWithLag()).setCapped(l.capped());
      for (LagReading.PartitionLag p : l.partitionLags()) {
        lag.addPartitionLags(PartitionLag.newBuilder().setTopic(p.topic()).setPartition(p.partition())
            .setCommitted(p.committed()).setLatest(p.latest()).setLag(p.lag()));
      }
    });
    b.setLag(lag);

    LegitimacyTerm.Builder legit = LegitimacyTerm.newBuilder()
        .setStatus(status(s.legitimacy(), s.input().legitimacy(), now))
        .setSource(c.legitimacySource().keyword())
        .setMode(c.policy().legitimacyMode().keyword())
        .setScore(Double.isNaN(r.score()) ? 1 : r.score())
        .setAppliedScore(nan0(r.appliedScore()));
    s.input().legitimacy().usable().ifPresent(l -> {
      legit.setAttack(l.attack()).addAllReasons(l.reasons()).putAllSignals(l.signals())
          .putSignals("unscored_share", l.unscoredShare());
      for (LegitimacyReading.FlaggedClient f : l.topFlagged()) {
        legit.addTopFlagged(FlaggedClient.newBuilder().setClient(f.client()).setRate(f.ratePerSecond())
            .setReason(f.reason()));
      }
    });
    b.setLegitimacy(legit);

    b.setDecision(DecisionTerms.newBuilder()
        .setRawDemand(nan0(r.rawDemand()))
        .setScoredDemand(nan0(r.scoredDemand()))
        .setCeil(r.ceil())
        .setMinReplicas(c.policy().minReplicas())
        .setMaxReplicas(c.policy().maxReplicas())
        .setClamp(r.clamp())
        .setHeldByPartialData(r.heldByPartialData())
        .setHeldByUnscoredIncrease(r.heldByUnscoredIncrease())
        .addAllNotes(r.notes()));
    return b.build();
  }

  static WatchSummary summary(Watch w, Instant now) {
    ScalerConfig c = w.config();
    WatchSummary.Builder b = WatchSummary.newBuilder()
        .setNamespace(c.namespace())
        .setName(c.name())
        .setMetricName(c.metricName())
        .setMetadataHash(c.key().metadataHash())
        .setIdleSeconds(seconds(Duration.between(w.lastAccess(), now)))
        .setAgeSeconds(-1)
        .setState("warming-up");
    w.current().ifPresent(s -> {
      b.setPublishedValue(s.result().value())
          .setPublishedValueFloat(s.result().valueFloat())
          .setActive(s.result().active())
          .setState(state(w, s, now));
      s.newestReadingAt().ifPresent(t -> b.setAgeSeconds(seconds(Duration.between(t, now))));
    });
    return b.build();
  }

  /** The decision's state, or {@code stale} when the snapshot is no longer servable. */
  static String state(Watch w, Snapshot s, Instant now) {
    if (s.result().available() && !w.servable(s, now)) {
      return "stale";
    }
    return s.result().state();
  }

  private static SignalStatus status(SignalHistory<?> h, SignalState<?> state, Instant now) {
    SignalStatus.Builder b = SignalStatus.newBuilder().setEnabled(h.configured());
    if (!h.configured()) {
      return b.setDisabledReason(h.offReason()).setAgeSeconds(-1).build();
    }
    b.setAgeSeconds(h.age(now).map(Explanations::seconds).orElse(-1.0))
        .setFresh(state instanceof SignalState.Fresh)
        .setConsecutiveFailures(h.consecutiveFailures());
    h.lastError().ifPresent(b::setLastError);
    h.lastErrorCategory().ifPresent(b::setLastErrorCategory);
    h.lastErrorAt().ifPresent(t -> b.setLastErrorAt(t.toString()));
    return b.build();
  }

  private static double seconds(Duration d) {
    return Math.max(0, d.toMillis()) / 1000.0;
  }

  private static double nan0(double d) {
    return Double.isNaN(d) ? 0 : d;
  }
}
