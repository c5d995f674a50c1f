package dev.legitscaler.scaler.legitimacy.scoring;

import dev.legitscaler.scaler.decision.LegitimacyReading;
import dev.legitscaler.scaler.decision.LegitimacyReading.FlaggedClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The traffic-legitimacy scorer: events in, score out. No I/O and no clock of its own: time comes only
 * from the event timestamps and the {@code nowMillis} given to {@link #score}, so the same stream gives
 * the same readings (an offline evaluator can run it in simulated time).
 *
 * <p>Time is cut into fixed buckets. {@link #observe} only updates the current bucket (O(1) amortised);
 * every state change — judging the window, learning baselines, clearing new clients — happens when a
 * bucket closes, so how often {@link #score} is called never changes the result. The reading judges
 * the last {@code windowBuckets} complete buckets. The algorithm is described in docs/legitimacy.md.
 *
 * <p>Not thread-safe: callers serialise access (the Kafka source holds a lock).
 */
public final class TrafficScorer {
  static final int MAX_LABEL_CHARS = 128;
  private static final int MIN_POPULATION_SAMPLE = 30;
  private static final int MIN_CLASS_SAMPLE = 20;
  /**
   * Known (cleared) clients whose window traffic is below this multiple of their baseline volume count
   * as flat: the growth of an attack window is then carried by new clients only.
   */
  private static final double KNOWN_FLAT_GROWTH = 1.3;
  /** How much slower the baselines learn from windows with a RATE_SURGE. */
  static final double SURGE_LEARNING_SLOWDOWN = 10;

  private final ScorerParameters p;
  private final KnownClients known;
  private final Bucket[] window; // complete buckets, slot = index mod windowBuckets
  private Bucket current;
  private long currentIndex = Long.MIN_VALUE;
  private final Baseline baseline = new Baseline();
  private final HourOfDayBaseline hourly;
  private final Map<Long, OwnHistory> history;
  private long bucketsClosed;
  private long lastAttackBucket = Long.MIN_VALUE;
  private long recordsObserved;
  private LegitimacyReading latest;
  private final EnumMap<Reason, Long> reasonWindows = new EnumMap<>(Reason.class);
  private final double alpha;
  private final EvidenceDimensions dims;
  private final boolean anyDimension;

  public TrafficScorer(ScorerParameters parameters) {
    this(parameters, DimensionParameters.defaults());
  }

  public TrafficScorer(ScorerParameters parameters, DimensionParameters dimensions) {
    this.p = parameters;
    this.dims = new EvidenceDimensions(dimensions);
    this.anyDimension = dimensions.network() || dimensions.attributes() || dimensions.timing()
        || dimensions.payload();
    this.alpha = p.baselineAlpha();
    this.hourly = new HourOfDayBaseline(p.bucketMillis());
    this.known = new KnownClients(p.knownClientsCapacity(), p.knownClientsRetention().toMillis(),
        p.clearBuckets(), p.maxNewClientsPerBucket());
    this.window = new Bucket[p.windowBuckets()];
    for (int i = 0; i < window.length; i++) {
      window[i] = new Bucket(p.heavyHitterSlots(), p.sampleCapacity());
    }
    this.current = new Bucket(p.heavyHitterSlots(), p.sampleCapacity());
    int cap = p.historyCapacity();
    this.history = new LinkedHashMap<>(cap * 2, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, OwnHistory> eldest) {
        return size() > cap;
      }
    };
    this.latest = new LegitimacyReading(1.0, false, List.of(Reason.WARMING_UP.name()), Map.of(), List.of(), 1.0);
  }

  public TrafficScorer() {
    this(ScorerParameters.defaults());
  }

  public ScorerParameters parameters() {
    return p;
  }

  /**
   * One request (or access-log line). Timestamps may be slightly out of order: a record older than
   * the current bucket counts in the current bucket (time never goes backwards).
   *
   * @param clientId the client identity (header, key or log field); long ids are truncated for display
   * @param valid false for a payload the model would reject (validity header, 4xx status)
   */
  public void observe(String clientId, long timestampMillis, boolean valid) {
    observe(clientId, timestampMillis, valid, RequestAttributes.NONE);
  }

  /**
   * One request with what the record says about it besides the identity (address, user agent, path,
   * TLS fingerprint, the model's features), for the evidence dimensions.
   */
  public void observe(String clientId, long timestampMillis, boolean valid, RequestAttributes attributes) {
    advanceTo(timestampMillis);
    long h = ClientHash.of(clientId);
    boolean cleared = known.isCleared(h);
    Bucket b = current;
    if (!cleared) {
      known.notePending(h, currentIndex);
      b.uncleared++;
    }
    b.total++;
    if (!valid) {
      b.invalid++;
    }
    String label = clientId.length() > MAX_LABEL_CHARS ? clientId.substring(0, MAX_LABEL_CHARS) : clientId;
    b.heavy.offer(h, label);
    b.sample.offer(h, label, !cleared, valid);
    if (anyDimension) {
      dims.observe(h, clientId, timestampMillis, !cleared, attributes, b.dims);
    }
    recordsObserved++;
  }

  /** The reading for the last complete window at {@code nowMillis} (closes every bucket ended by then). */
  public LegitimacyReading score(long nowMillis) {
    advanceTo(nowMillis);
    return latest;
  }

  /** Windows in which each reason was raised, since start. */
  public Map<Reason, Long> reasonWindows() {
    return new EnumMap<>(reasonWindows);
  }

  public long recordsObserved() {
    return recordsObserved;
  }

  /**
   * Bytes held by the scorer's fixed-size structures (arrays of the filters, sketches, samples and the
   * history map), not counting the client-id strings they reference (at most
   * {@code (windowBuckets + 1) * (heavyHitterSlots + sampleCapacity) + historyCapacity} of them, each
   * truncated to 128 characters).
   */
  public long retainedBytes() {
    long b = known.retainedBytes() + current.retainedBytes() + dims.retainedBytes() + HourOfDayBaseline.BYTES;
    for (Bucket w : window) {
      b += w.retainedBytes();
    }
    return b + (long) p.historyCapacity() * 96;
  }

  /** Upper bound of the client-id strings referenced, in bytes (UTF-16, 40-byte object overhead). */
  public long maxLabelBytes() {
    long labels = (long) (p.windowBuckets() + 1) * (p.heavyHitterSlots() + p.sampleCapacity());
    return labels * (40 + 2L * MAX_LABEL_CHARS);
  }

  int historySize() {
    return history.size();
  }

  // ---------------------------------------------------------------- time

  private void advanceTo(long tMillis) {
    long target = Math.floorDiv(tMillis, p.bucketMillis());
    if (currentIndex == Long.MIN_VALUE) {
      currentIndex = target;
      current.reset(target);
      return;
    }
    // after a long silence only the last few buckets matter; skip the rest in one jump
    int budget = p.windowBuckets() + p.clearBuckets() + p.holdBuckets() + 2;
    while (currentIndex < target) {
      if (budget-- == 0) {
        currentIndex = target;
        current.reset(target);
        return;
      }
      closeCurrentBucket();
    }
  }

  private void closeCurrentBucket() {
    long closed = currentIndex;
    int slot = (int) Math.floorMod(closed, (long) window.length);
    Bucket recycled = window[slot];
    window[slot] = current;
    current = recycled;
    currentIndex = closed + 1;
    current.reset(currentIndex);

    Evaluation e = evaluate(closed);
    latest = e.reading;
    for (Reason r : e.reasons) {
      reasonWindows.merge(r, 1L, Long::sum);
    }
    if (e.reading.attack()) {
      lastAttackBucket = closed;
    }
    boolean calm = !e.reading.attack()
        && (lastAttackBucket == Long.MIN_VALUE || closed - lastAttackBucket > p.holdBuckets());
    // clearing needs a calm window that is not an unexplained surge either: while traffic surges
    // without the flash-crowd signature (a ramp not declared yet), the clients on probation are the
    // surge's own, and clearing them would teach the scorer that they are known
    boolean clearable = calm && !unexplainedSurge(e.reasons);
    known.onBucketClosed(closed, clearable, (closed + 1) * p.bucketMillis());
    if (calm && e.learnable) {
      learn(e);
    }
    bucketsClosed++;
  }

  /**
   * A surge without the flash-crowd signature: not declared, not explained either. Not during warm-up:
   * at start every client is new and the baseline is a few windows old.
   */
  static boolean unexplainedSurge(Set<Reason> reasons) {
    return reasons.contains(Reason.RATE_SURGE) && !reasons.contains(Reason.FLASH_CROWD)
        && !reasons.contains(Reason.WARMING_UP);
  }

  // ---------------------------------------------------------------- judging a window

  private static final class HeavyAgg {
    final long key;
    final String label;
    long guaranteed;

    HeavyAgg(long key, String label) {
      this.key = key;
      this.label = label;
    }
  }

  private static final class SampleAgg {
    final String label;
    final boolean uncleared;
    long count;
    long invalid;

    SampleAgg(String label, boolean uncleared) {
      this.label = label;
      this.uncleared = uncleared;
    }
  }

  private static final class OwnHistory {
    double countPerWindow;
    long windows;
  }

  private record Evaluation(LegitimacyReading reading, Set<Reason> reasons, boolean learnable, long atMillis, long total,
      double median, double mad, double mean, double entropy, double invalidShare, double newShare,
      List<HeavyAgg> heavyCandidates, EvidenceDimensions.Result dimensions) {}

  private Evaluation evaluate(long closed) {
    long first = closed - window.length + 1;
    List<Bucket> buckets = new ArrayList<>(window.length);
    for (long i = first; i <= closed; i++) {
      Bucket b = window[(int) Math.floorMod(i, (long) window.length)];
      if (b.index == i) {
        buckets.add(b);
      }
    }
    long total = 0;
    long invalid = 0;
    long uncleared = 0;
    int level = 0;
    for (Bucket b : buckets) {
      total += b.total;
      invalid += b.invalid;
      uncleared += b.uncleared;
      level = Math.max(level, b.sample.level());
    }
    boolean warming = bucketsClosed + 1 < p.warmupBuckets();
    double windowSeconds = p.windowMillis() / 1000.0;
    long windowEnd = (closed + 1) * p.bucketMillis();

    if (total < p.minWindowRequests()) {
      EnumSet<Reason> reasons = EnumSet.of(Reason.LOW_TRAFFIC);
      if (warming) {
        reasons.add(Reason.WARMING_UP);
      }
      Map<String, Double> signals = new TreeMap<>();
      signals.put("window_rate", total / windowSeconds);
      double unscored = total == 0 ? 0 : (double) uncleared / total;
      return new Evaluation(new LegitimacyReading(1.0, false, names(reasons), signals, List.of(), unscored),
          reasons, false, windowEnd, total, 0, 0, 0, Double.NaN, 0, 0, List.of(), null);
    }

    // merge the window's heavy hitters: the guaranteed counts add up
    Map<Long, HeavyAgg> heavy = new HashMap<>();
    for (Bucket b : buckets) {
      SpaceSaving ss = b.heavy;
      for (int s = 0; s < ss.size(); s++) {
        long g = ss.count(s) - ss.error(s);
        if (g > 0) {
          String label = ss.label(s);
          heavy.computeIfAbsent(ss.key(s), k -> new HeavyAgg(k, label)).guaranteed += g;
        }
      }
    }
    // merge the window's samples at the coarsest level: uniform over clients
    Map<Long, SampleAgg> sample = new HashMap<>();
    for (Bucket b : buckets) {
      ClientSample cs = b.sample;
      for (int i = 0; i < cs.size(); i++) {
        long key = cs.key(i);
        if (ClientSample.accepted(key, level)) {
          final int idx = i;
          SampleAgg agg = sample.computeIfAbsent(key, k -> new SampleAgg(cs.label(idx), cs.uncleared(idx)));
          agg.count += cs.count(i);
          agg.invalid += cs.invalid(i);
        }
      }
    }
    double scale = Math.pow(2, level);

    // per-client statistics of the population (cleared clients once there are enough of them)
    long[] clearedCounts = sample.values().stream().filter(a -> !a.uncleared).mapToLong(a -> a.count).toArray();
    long[] allCounts = sample.values().stream().mapToLong(a -> a.count).toArray();
    long[] popCounts = clearedCounts.length >= MIN_POPULATION_SAMPLE ? clearedCounts : allCounts;
    double median = median(popCounts);
    double mad = mad(popCounts, median);
    double mean = Arrays.stream(popCounts).average().orElse(0);
    long[] newCounts = sample.values().stream().filter(a -> a.uncleared).mapToLong(a -> a.count).toArray();
    double newMedian = newCounts.length >= MIN_CLASS_SAMPLE ? median(newCounts) : Double.NaN;

    boolean haveBaseline = baseline.ready();
    double baseMedian = haveBaseline ? Math.max(1.0, baseline.medianCount) : Math.max(1.0, median);
    double baseMad = haveBaseline ? baseline.madCount : mad;
    double baseTotal = haveBaseline ? baseline.totalPerWindow : total;
    // when the known clients as a whole run faster right now (known clients returning, everyone busier),
    // the bar moves with them: a few fast sources or new bots cannot move the median of cleared clients
    boolean knownPopulation = clearedCounts.length >= MIN_POPULATION_SAMPLE;
    double typical = knownPopulation ? Math.max(baseMedian, median) : baseMedian;
    double spread = knownPopulation ? Math.max(baseMad, mad) : baseMad;
    double fastAbove = Math.max(Math.max(p.heavyRateFactor() * typical,
        typical + p.madMultiplier() * 1.4826 * spread), p.minHeavyCount());

    // fast clients: heavy hitters first (guaranteed counts), then sampled clients (exact counts, scaled)
    List<FlaggedClient> flagged = new ArrayList<>();
    Set<Long> judged = new HashSet<>();
    double heavyExcess = 0;
    double heavyExcessUncleared = 0;
    double heavyExcessCleared = 0;
    double fastMass = 0;
    List<Double> fastShares = new ArrayList<>();
    List<HeavyAgg> candidates = new ArrayList<>();
    List<HeavyAgg> heavyList = new ArrayList<>(heavy.values());
    heavyList.sort(Comparator.comparingLong((HeavyAgg a) -> -a.guaranteed).thenComparingLong(a -> a.key));
    for (HeavyAgg a : heavyList) {
      if (a.guaranteed >= 2 * baseMedian) {
        candidates.add(a);
      }
      if (a.guaranteed <= fastAbove) {
        continue;
      }
      judged.add(a.key);
      fastMass += a.guaranteed;
      fastShares.add((double) a.guaranteed / total);
      OwnHistory own = history.get(a.key);
      boolean hasHistory = own != null && own.windows >= p.minHistoryWindows();
      if (hasHistory && a.guaranteed <= ownAllowance(own)) {
        continue; // its usual self: excused
      }
      double excess = a.guaranteed - typical;
      heavyExcess += excess;
      if (known.peekCleared(a.key)) {
        heavyExcessCleared += excess;
      } else {
        heavyExcessUncleared += excess;
      }
      flagged.add(new FlaggedClient(a.label, a.guaranteed / windowSeconds,
          (hasHistory ? ClientFlag.RATE_ABOVE_OWN_HISTORY : ClientFlag.RATE_ABOVE_POPULATION).name()));
    }
    Set<Long> fastSampled = new HashSet<>();
    for (Map.Entry<Long, SampleAgg> en : sample.entrySet()) {
      SampleAgg a = en.getValue();
      if (judged.contains(en.getKey())) {
        fastSampled.add(en.getKey());
        continue;
      }
      if (a.count <= fastAbove) {
        continue;
      }
      fastSampled.add(en.getKey());
      OwnHistory own = history.get(en.getKey());
      boolean hasHistory = own != null && own.windows >= p.minHistoryWindows();
      if (a.count >= 2 * baseMedian) {
        HeavyAgg sampled = new HeavyAgg(en.getKey(), a.label);
        sampled.guaranteed = a.count;
        candidates.add(sampled);
      }
      if (hasHistory && a.count <= ownAllowance(own)) {
        continue; // its usual self: excused
      }
      double excess = (a.count - typical) * scale;
      heavyExcess += excess;
      if (a.uncleared) {
        heavyExcessUncleared += excess;
      } else {
        heavyExcessCleared += excess;
      }
      flagged.add(new FlaggedClient(a.label, a.count / windowSeconds,
          (hasHistory ? ClientFlag.RATE_ABOVE_OWN_HISTORY : ClientFlag.RATE_ABOVE_POPULATION).name()));
    }
    heavyExcess = Math.min(heavyExcess, total);

    // source entropy: fast clients individually, the rest through the uniform sample
    double distinct = sample.size() * scale;
    double entropy = 0;
    for (double q : fastShares) {
      entropy -= q * log2(q);
    }
    double restFrac = Math.max(0, 1 - fastMass / total);
    long restSampleCount = 0;
    for (Map.Entry<Long, SampleAgg> en : sample.entrySet()) {
      if (!judged.contains(en.getKey())) {
        restSampleCount += en.getValue().count;
      }
    }
    if (restSampleCount > 0 && restFrac > 0) {
      for (Map.Entry<Long, SampleAgg> en : sample.entrySet()) {
        if (!judged.contains(en.getKey())) {
          double pj = (double) en.getValue().count / (restSampleCount * scale) * restFrac;
          entropy -= scale * pj * log2(pj);
        }
      }
    }
    double normalisedEntropy = entropy / log2(Math.max(2, distinct + fastShares.size()));

    // shares and class-level signals
    double newShare = (double) uncleared / total;
    double invalidShare = (double) invalid / total;
    double newRateRatio = Double.isNaN(newMedian) ? Double.NaN : newMedian / typical;
    double growth = baseTotal > 0 ? total / baseTotal : 1;
    double baseNewShare = baseline.newShareWindows > 0 ? baseline.newShare : 0;

    EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
    if (warming) {
      reasons.add(Reason.WARMING_UP);
    }
    // the long baseline: what is usual at this hour of the day, once it has history from an earlier day;
    // a slow ramp that the 10-minute baseline follows is still a surge against it, a diurnal swing is not
    boolean hourReady = hourly.ready(windowEnd);
    double hourGrowth = hourReady && hourly.totalPerWindow(windowEnd) > 0
        ? total / hourly.totalPerWindow(windowEnd) : Double.NaN;
    if ((haveBaseline && growth >= p.surgeFactor()) || (!Double.isNaN(hourGrowth) && hourGrowth >= p.surgeFactor())) {
      reasons.add(Reason.RATE_SURGE);
    }
    if (heavyExcess / total >= p.heavyShareThreshold()) {
      reasons.add(Reason.HEAVY_HITTERS);
    }
    if (!warming && newShare - baseNewShare >= p.newShareThreshold()) {
      reasons.add(Reason.NEW_CLIENTS);
    }
    boolean fastNewClass = !Double.isNaN(newRateRatio) && newRateRatio >= p.newClientRateFactor()
        && newShare >= p.heavyShareThreshold();
    if (fastNewClass) {
      reasons.add(Reason.FAST_NEW_CLIENTS);
    }
    if (haveBaseline && baseline.entropy - normalisedEntropy >= p.entropyDrop()) {
      reasons.add(Reason.LOW_ENTROPY);
    }
    double invalidExcess = Math.max(0, invalid - total * (baseline.invalidShare + p.invalidTolerance()));
    if (invalidExcess / total >= p.invalidShareThreshold()) {
      reasons.add(Reason.INVALID_REQUESTS);
    }
    // the evidence dimensions: each compares the window with its own baseline and says how much traffic
    // lies beyond it
    List<DimensionBucket> dimBuckets = new ArrayList<>(buckets.size());
    for (Bucket b : buckets) {
      dimBuckets.add(b.dims);
    }
    EvidenceDimensions.Result dimResult = anyDimension
        ? dims.evaluate(dimBuckets, total, first * p.bucketMillis(), haveBaseline && !warming) : null;
    if (dimResult != null) {
      reasons.addAll(dimResult.reasons());
    }

    // the legitimate share: fast clients keep a typical client's allowance; when most new clients are
    // fast, new-client traffic above its usual volume is suspect as a class; invalid excess on top
    double classExcess = fastNewClass ? Math.max(0, uncleared - baseNewShare * baseTotal) : 0;
    double suspect = heavyExcess + Math.max(0, classExcess - heavyExcessUncleared);
    // invalid records from clients already counted above must not be counted twice: the sample says
    // which share of the invalid records comes from those clients
    long sampledInvalid = 0;
    long sampledInvalidCounted = 0;
    for (Map.Entry<Long, SampleAgg> en : sample.entrySet()) {
      SampleAgg a = en.getValue();
      sampledInvalid += a.invalid;
      if (fastSampled.contains(en.getKey()) || (fastNewClass && a.uncleared)) {
        sampledInvalidCounted += a.invalid;
      }
    }
    double alreadyCounted = sampledInvalid == 0 ? 0 : (double) sampledInvalidCounted / sampledInvalid;
    suspect += invalidExcess * (1 - alreadyCounted);
    if (dimResult != null) {
      // bots that differ in a dimension: the mass beyond the baseline there, when it says more
      suspect = Math.max(suspect, dimResult.suspect());
    }
    double suspectShare = Math.min(1, suspect / total);

    long agreeing = reasons.stream().filter(Reason::votes).count();
    boolean evidence = reasons.contains(Reason.HEAVY_HITTERS) || reasons.contains(Reason.FAST_NEW_CLIENTS)
        || reasons.contains(Reason.INVALID_REQUESTS) || reasons.contains(Reason.LOW_ENTROPY)
        || reasons.contains(Reason.NETWORK_CONCENTRATION) || reasons.contains(Reason.ATTRIBUTE_SHIFT)
        || reasons.contains(Reason.PERIODIC_CLIENTS) || reasons.contains(Reason.PAYLOAD_DRIFT);
    boolean flashCrowd = reasons.contains(Reason.RATE_SURGE) && suspectShare < p.flashCrowdMaxSuspectShare()
        && !reasons.contains(Reason.LOW_ENTROPY);
    if (flashCrowd) {
      reasons.add(Reason.FLASH_CROWD);
    }
    boolean attack = !warming && agreeing >= p.minAgreeingSignals() && evidence && !flashCrowd
        && suspectShare >= p.minAttackShare();
    // who is asking: in a flash crowd the known clients' traffic grows with the crowd (it brings
    // returning clients); in a botnet it stays at its baseline and the growth is carried by never-seen
    // clients only. Once an attack is declared and the known traffic is flat, the new-client traffic
    // above its usual volume is suspect even when each bot runs at a normal per-client rate.
    double knownBase = baseTotal * (1 - baseNewShare);
    double knownGrowth = haveBaseline && knownBase > 0 ? (total - uncleared) / knownBase : Double.NaN;
    if (attack && !fastNewClass && !Double.isNaN(knownGrowth) && knownGrowth < KNOWN_FLAT_GROWTH) {
      double newExcess = Math.max(0, uncleared - baseNewShare * baseTotal);
      long invalidCountedByClass = 0;
      for (Map.Entry<Long, SampleAgg> en : sample.entrySet()) {
        SampleAgg a = en.getValue();
        if (fastSampled.contains(en.getKey()) || a.uncleared) {
          invalidCountedByClass += a.invalid;
        }
      }
      double counted = sampledInvalid == 0 ? 0 : (double) invalidCountedByClass / sampledInvalid;
      double byWho = heavyExcess + Math.max(0, newExcess - heavyExcessUncleared) + invalidExcess * (1 - counted);
      if (byWho > suspect) {
        reasons.add(Reason.KNOWN_CLIENTS_FLAT);
        suspect = byWho;
        suspectShare = Math.min(1, suspect / total);
      }
    }
    double score = attack ? clamp01(1 - suspectShare) : 1.0;
    // before a verdict, traffic from clients not yet cleared (and the excess of fast cleared clients)
    // is unjudged; once an attack is declared the score itself is the judgement
    double unscored = attack ? 0 : clamp01((uncleared + heavyExcessCleared) / total);

    flagged.sort(Comparator.comparingDouble((FlaggedClient f) -> -f.ratePerSecond())
        .thenComparing(FlaggedClient::client));
    List<FlaggedClient> top = flagged.subList(0, Math.min(p.maxFlaggedClients(), flagged.size()));

    Map<String, Double> signals = new TreeMap<>();
    signals.put("window_rate", total / windowSeconds);
    signals.put("baseline_rate", baseTotal / windowSeconds);
    signals.put("growth", growth);
    signals.put("heavy_excess_share", heavyExcess / total);
    signals.put("new_client_share", newShare);
    signals.put("new_client_share_baseline", baseNewShare);
    if (!Double.isNaN(newRateRatio)) {
      signals.put("new_client_rate_ratio", newRateRatio);
    }
    signals.put("entropy", normalisedEntropy);
    signals.put("entropy_baseline", haveBaseline ? baseline.entropy : normalisedEntropy);
    signals.put("invalid_share", invalidShare);
    signals.put("invalid_share_baseline", baseline.invalidShare);
    signals.put("suspect_share", suspectShare);
    if (!Double.isNaN(knownGrowth)) {
      signals.put("known_client_growth", knownGrowth);
    }
    signals.put("distinct_clients", distinct);
    signals.put("population_median_rate", typical / windowSeconds);
    signals.put("fast_threshold_rate", fastAbove / windowSeconds);
    signals.put("agreeing_signals", (double) agreeing);
    signals.put("hour_baseline_ready", hourReady ? 1.0 : 0.0);
    signals.put("hour_baseline_days", (double) hourly.historyDays(windowEnd));
    if (hourReady) {
      signals.put("hour_baseline_rate", hourly.totalPerWindow(windowEnd) / windowSeconds);
      signals.put("hour_baseline_median_rate", hourly.medianCount(windowEnd) / windowSeconds);
      if (!Double.isNaN(hourGrowth)) {
        signals.put("hour_growth", hourGrowth);
      }
    }
    if (dimResult != null) {
      signals.putAll(dimResult.signals());
    }

    // calm windows teach the baselines (the caller checks that no attack is declared or held); a
    // window with a legitimate heavy client must teach too, or that client would never get a history
    boolean learnable = true;
    LegitimacyReading reading = new LegitimacyReading(score, attack, names(reasons), signals, top, unscored);
    return new Evaluation(reading, reasons, learnable, windowEnd, total, median, mad, mean, normalisedEntropy, invalidShare,
        newShare, candidates, dimResult);
  }

  private void learn(Evaluation e) {
    boolean warming = bucketsClosed + 1 < p.warmupBuckets();
    // while traffic surges the baselines learn ten times slower: a surge that is not (yet) declared an
    // attack, such as a slow ramp of bots, must not teach the scorer that it is normal
    boolean surging = e.reasons.contains(Reason.RATE_SURGE);
    double rate = surging ? alpha / SURGE_LEARNING_SLOWDOWN : alpha;
    baseline.learn(rate, e.total, e.median, e.mad, e.mean, e.entropy, e.invalidShare);
    boolean shortSurge = e.reading.signals().getOrDefault("growth", 1.0) >= p.surgeFactor();
    hourly.learn(e.atMillis, shortSurge ? HourOfDayBaseline.Surge.SHORT
        : surging ? HourOfDayBaseline.Surge.HOUR_ONLY : HourOfDayBaseline.Surge.NONE, e.total, e.median);
    if (!warming) {
      baseline.learnNewShare(rate, e.newShare);
    }
    if (e.dimensions != null) {
      dims.learn(e.dimensions, rate);
    }
    // a client can be a candidate through the heavy hitters and the sample: learn its larger count once
    Map<Long, Long> counts = new LinkedHashMap<>();
    for (HeavyAgg a : e.heavyCandidates) {
      counts.merge(a.key, a.guaranteed, Math::max);
    }
    counts.forEach((key, count) -> {
      OwnHistory own = history.computeIfAbsent(key, k -> new OwnHistory());
      double w = Math.max(alpha, 1.0 / (own.windows + 1));
      own.countPerWindow += w * (count - own.countPerWindow);
      own.windows++;
    });
  }

  // ---------------------------------------------------------------- helpers

  /** A client's own usual count times the factor, plus three Poisson standard deviations of slack. */
  private double ownAllowance(OwnHistory own) {
    return p.ownHistoryFactor() * own.countPerWindow + 3 * Math.sqrt(own.countPerWindow);
  }

  private static List<String> names(Set<Reason> reasons) {
    List<String> out = new ArrayList<>(reasons.size());
    for (Reason r : reasons) {
      out.add(r.name());
    }
    return out;
  }

  private static double median(long[] values) {
    if (values.length == 0) {
      return 0;
    }
    long[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  private static double mad(long[] values, double median) {
    if (values.length == 0) {
      return 0;
    }
    double[] dev = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      dev[i] = Math.abs(values[i] - median);
    }
    Arrays.sort(dev);
    int n = dev.length;
    return n % 2 == 1 ? dev[n / 2] : (dev[n / 2 - 1] + dev[n / 2]) / 2.0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static double clamp01(double x) {
    return Math.max(0, Math.min(1, x));
  }
}
