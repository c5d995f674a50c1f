package dev.legitscaler.loadtest.evaluate;

import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.HpaMapping;
import dev.legitscaler.loadtest.keda.MetricSpecAnswer;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import dev.legitscaler.loadtest.traffic.TrafficModel;
import dev.legitscaler.scaler.config.ConfigException;
import dev.legitscaler.scaler.source.ScalerConfig;
import dev.legitscaler.scaler.config.ServerDefaults;
import dev.legitscaler.scaler.decision.DecisionResult;
import dev.legitscaler.scaler.decision.SignalState;
import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat;
import dev.legitscaler.scaler.legitimacy.kafka.TrafficScorerConfig;
import dev.legitscaler.scaler.legitimacy.scoring.DimensionParameters;
import dev.legitscaler.scaler.legitimacy.scoring.RequestAttributes;
import dev.legitscaler.scaler.legitimacy.scoring.ScorerParameters;
import dev.legitscaler.loadtest.payload.PayloadPool;
import dev.legitscaler.scaler.legitimacy.scoring.TrafficScorer;
import dev.legitscaler.scaler.signal.kafka.KafkaLagConfig;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import dev.legitscaler.scaler.source.SignalFamilies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a scenario in simulated time: traffic model → the scaler's TrafficScorer → the scaler's
 * Decision → the HPA emulator → replicas, and the same traffic through the naive load-only policy.
 * Deterministic: the same scenario, manifest and settings give the same result.
 *
 * <p>Timing per tick of simulated time: every {@code slot} (100 ms) the slot's requests are fed to the
 * scorer with their own timestamps and served by each policy's replicas; every {@code refreshInterval}
 * (the trigger's, 5 s by default) each policy's scaler refreshes; every HPA sync period (15 s) each HPA
 * reconciles against the value published last. A refresh and a sync due at the same instant run in that
 * order, before that slot's traffic.
 */
public final class Evaluator {
  /** An arbitrary fixed origin: the HPA only ever sees differences of this clock. */
  private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

  private Evaluator() {}

  /** What the legitimate-aware scaler said at one refresh. */
  public record Refresh(long tMillis, double score, boolean attack, double unscoredShare, long lastAttackEventMillis,
      long published, long naivePublished) {}

  /** One row per scenario second, sampled at the end of the second. */
  public record Second(long t, String phase, double targetRate, double legitRate, double attackRate, long achieved,
      int replicas, int naiveReplicas, int readyReplicas, int naiveReadyReplicas, int needed, long published,
      double demandLoad, double demandLag, double score, boolean attackSuspected, double load, long lag) {}

  /** The simulation's configuration as derived from the manifest, for summary params. */
  public record Setup(ScalerConfig config, ScorerParameters scorer, boolean scorerUsed, double capacityPerReplica,
      int minReplicas, int maxReplicas, Duration refreshInterval, Duration syncPeriod, EvaluationSettings settings,
      DimensionParameters dimensions, boolean payloadFeatures, boolean validityRead) {}

  public record Result(Scenario scenario, Setup setup, List<Second> seconds, List<Refresh> refreshes) {}

  /** The trigger the evaluation scales on: the first external trigger. */
  static Trigger scalerTrigger(ScaledObject so) {
    return so.triggers().stream().filter(t -> t.type().startsWith("external")).findFirst()
        .orElseThrow(() -> new InputException(so.name() + ": no external trigger to evaluate"));
  }

  /** Builds the scaler's configuration from the manifest exactly as the server would (bad keys: InputException). */
  static Setup setup(Scenario scenario, ScaledObject so, EvaluationSettings settings) {
    Trigger trigger = scalerTrigger(so);
    Map<String, String> md = trigger.metadata();
    ScalerConfig config;
    ScorerParameters scorer = ScorerParameters.defaults();
    DimensionParameters dimensions = DimensionParameters.none();
    boolean payloadFeatures = false;
    boolean validityRead = false;
    try {
      config = ScalerConfig.parse(so.namespace(), so.name(), md, ServerDefaults.none(),
          new OfflineSignals(ServerDefaults.none()));
      Optional<TrafficScorerConfig> scored = config.legitimacy().flatMap(SignalFamilies.Legitimacy::scorerConfig);
      if (scored.isPresent()) {
        TrafficScorerConfig tc = scored.get();
        scorer = tc.scorer();
        dimensions = tc.dimensions();
        // features reach the scorer only when the live source would read them (legitimacyPayloadFeatures)
        payloadFeatures = tc.attributeFields().features().isPresent();
        validityRead = validityRead(tc.format());
      }
    } catch (ConfigException e) {
      throw new InputException(so.name() + " trigger " + trigger.index() + ": " + e.getMessage(), e);
    }
    long refresh = config.refreshInterval().toMillis();
    if (refresh % settings.slot().toMillis() != 0) {
      throw new InputException("refreshInterval " + config.refreshInterval() + " must be a multiple of the "
          + settings.slot().toMillis() + " ms simulation slot");
    }
    return new Setup(config, scorer, config.legitimacySource() != LegitimacySourceKind.NONE,
        scenario.modelOrDefault().capacityOrDefault(), so.hpaMinReplicas(), so.maxReplicaCount(),
        config.refreshInterval(), Duration.ofSeconds(15), settings, dimensions, payloadFeatures, validityRead);
  }

  /**
   * Whether the live source can tell an invalid request from a valid one: request records only through
   * a configured {@code legitimacyValidityHeader} (without it every record counts as valid), access logs
   * always (their status field).
   */
  static boolean validityRead(RecordFormat format) {
    return format instanceof RecordFormat.Requests r ? r.validityHeader().isPresent() : true;
  }

  public static Result run(Scenario scenario, ScaledObject so, EvaluationSettings settings) {
    Setup setup = setup(scenario, so, settings);
    ScalerConfig config = setup.config();
    Trigger trigger = scalerTrigger(so);
    ScaledObject single = new ScaledObject(so.name(), so.namespace(), so.scaleTargetName(), so.minReplicaCount(),
        so.maxReplicaCount(), so.pollingIntervalSeconds(), so.cooldownPeriodSeconds(), so.fallback(), so.behavior(),
        List.of(trigger));
    double target = config.target();
    // the HPA KEDA builds from GetMetricSpec (which the scaler derives from metadata alone)
    HpaSpec spec = HpaMapping.toHpaSpec(single, Map.of(trigger.index(),
        List.of(new MetricSpecAnswer(config.metricName(), Math.round(target), target))));

    Optional<KafkaLagConfig> lagConfig = config.lag().flatMap(SignalFamilies.Lag::config);
    double capacity = setup.capacityPerReplica();
    long startDelay = settings.podStartDelay().toMillis();
    SimClock legitClock = new SimClock(ORIGIN);
    SimClock naiveClock = new SimClock(ORIGIN);
    int initial = Math.max(setup.minReplicas(), 1);
    PolicyLoop legit = new PolicyLoop(config.policy(), config.load().isPresent(), lagConfig, settings.partitions(), spec,
        legitClock, new ReplicaPool(initial, capacity, startDelay));
    PolicyLoop naive = new PolicyLoop(config.policy(), config.load().isPresent(), lagConfig, settings.partitions(), spec,
        naiveClock, new ReplicaPool(initial, capacity, startDelay));
    TrafficScorer scorer = new TrafficScorer(setup.scorer(), setup.dimensions());
    PayloadPool payloads = new PayloadPool(scenario.seedOrDefault());
    TrafficModel model = TrafficModel.of(scenario);

    long slot = settings.slot().toMillis();
    long refresh = setup.refreshInterval().toMillis();
    long sync = setup.syncPeriod().toMillis();
    long duration = scenario.duration().toMillis();
    double targetLoad = config.policy().targetLoad() > 0 ? config.policy().targetLoad() : 0.7;
    List<Second> seconds = new ArrayList<>((int) (duration / 1000) + 1);
    List<Refresh> refreshes = new ArrayList<>((int) (duration / refresh) + 1);
    long lastAttackEvent = Long.MIN_VALUE / 2;
    long achievedThisSecond = 0;
    LegitimacyReading reading = null;
    SignalState<LegitimacyReading> off = new SignalState.Off<>("naive policy: legitimacy ignored");

    for (long t = 0; t < duration; t += slot) {
      legitClock.setMillis(t);
      naiveClock.setMillis(t);
      if (t > 0 && t % refresh == 0) {
        SignalState<LegitimacyReading> legitimacy = off;
        if (setup.scorerUsed()) {
          reading = scorer.score(t);
          legitimacy = new SignalState.Fresh<>(reading, Duration.ZERO);
        }
        legit.refresh(t, legitimacy);
        naive.refresh(t, off);
        refreshes.add(new Refresh(t, reading == null ? 1.0 : reading.score(), reading != null && reading.attack(),
            reading == null ? 0.0 : reading.unscoredShare(), lastAttackEvent, published(legit), published(naive)));
      }
      if (t > 0 && t % sync == 0) {
        legit.sync(t);
        naive.sync(t);
      }
      int arrivals = 0;
      Iterator<TrafficEvent> events = model.iterator(t * 1_000_000L, (t + slot) * 1_000_000L);
      while (events.hasNext()) {
        TrafficEvent e = events.next();
        long at = e.atNanos() / 1_000_000L;
        // what the live source reads from the record: headers, and the features of a valid JSON body
        double[] features = setup.payloadFeatures() && e.valid() ? payloads.features(e.eventId(), e.payload()) : null;
        // and the validity only where the live source reads one (else it counts every record valid)
        scorer.observe(e.clientId(), at, !setup.validityRead() || e.valid(),
            new RequestAttributes(e.address(), e.userAgent(), e.path(), e.tlsFingerprint(), features));
        if (e.attack()) {
          lastAttackEvent = at;
        }
        arrivals++;
      }
      achievedThisSecond += arrivals;
      double slotSeconds = slot / 1000.0;
      legit.pool().step(t, slotSeconds, arrivals);
      naive.pool().step(t, slotSeconds, arrivals);

      long end = t + slot;
      if (end % 1000 == 0) {
        long second = end / 1000 - 1;
        Duration mid = Duration.ofMillis(second * 1000 + 500);
        double legitRate = model.legitimateRateAt(mid);
        double attackRate = model.attackRateAt(mid);
        int needed = needed(legitRate, capacity, targetLoad, setup.minReplicas(), setup.maxReplicas());
        DecisionResult d = legit.last();
        seconds.add(new Second(second, model.phaseAt(mid), legitRate + attackRate, legitRate, attackRate,
            achievedThisSecond, legit.pool().replicas(), naive.pool().replicas(), legit.pool().ready(end),
            naive.pool().ready(end), needed, d == null ? -1 : d.value(), d == null ? Double.NaN : d.loadDemand(),
            d == null ? Double.NaN : d.lagDemand(), reading == null ? (setup.scorerUsed() ? Double.NaN : 1.0) : reading.score(),
            reading != null && reading.attack(), legit.lastBusy(), legit.lastLag()));
        achievedThisSecond = 0;
      }
    }
    return new Result(scenario, setup, seconds, refreshes);
  }

  private static long published(PolicyLoop p) {
    DecisionResult d = p.last();
    return d == null || !d.available() ? -1 : d.value();
  }

  /** What the legitimate traffic needs: clamp(ceil(rate / (capacity × targetLoad)), min, max). */
  static int needed(double legitRate, double capacity, double targetLoad, int min, int max) {
    long n = (long) Math.ceil(legitRate / (capacity * targetLoad) - 1e-9);
    return (int) Math.max(min, Math.min(max, n));
  }
}
