package dev.legitscaler.scaler.bench;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.signal.SignalException;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LoadReading;
import dev.legitscaler.scaler.source.LegitimacySourceKind;
import dev.legitscaler.scaler.source.SignalFactory;
import dev.legitscaler.scaler.source.SignalFamilies;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Benchmark-only decorator of a {@link SignalFactory}: records, for every watch's load source, the time
 * between the ends of two consecutive fetches (how old the watch's newest reading got before the next
 * one replaced it). A refresh deadline is missed when that gap exceeds the refresh interval plus a
 * slack ({@code refreshInterval + slack}); a watch whose last fetch ended longer ago than that when the
 * report is taken counts as one more miss (a refresher that stopped is not hidden by having no next
 * fetch).
 */
final class RefreshDeadlines implements SignalFactory {
  private final SignalFactory delegate;
  private final long deadlineNanos;
  private final LongSupplier nanoTime;
  private final Set<Recording> sources = ConcurrentHashMap.newKeySet();
  private final Histogram gaps = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong missed = new AtomicLong();

  RefreshDeadlines(SignalFactory delegate, Duration refreshInterval, Duration slack, LongSupplier nanoTime) {
    this.delegate = delegate;
    this.deadlineNanos = refreshInterval.plus(slack).toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public Optional<SignalFamilies.Load> load(Metadata md, String namespace, String scaledObject) {
    return delegate.load(md, namespace, scaledObject)
        .map(l -> new SignalFamilies.Load(l.targetLoad(), l.settings(), () -> new Recording(l.opener().get()),
            l.backend(), l.config())); // the same backend limit as the server's, only the source is wrapped
  }

  @Override
  public Optional<SignalFamilies.Lag> lag(Metadata md, String namespace, String scaledObject) {
    return delegate.lag(md, namespace, scaledObject);
  }

  @Override
  public SignalFamilies.Legitimacy legitimacy(LegitimacySourceKind kind, Metadata md, String ns, String name) {
    return delegate.legitimacy(kind, md, ns, name);
  }

  /** One line for the bench's report: fetch and miss counts and the gap distribution in ms. */
  String report() {
    long now = nanoTime.getAsLong();
    long stalled = sources.stream().filter(r -> r.fetched && now - r.lastEnd > deadlineNanos).count();
    synchronized (gaps) {
      return String.format(Locale.ROOT,
          "refresh watches=%d fetches=%d errors=%d missed=%d stalled=%d deadline_ms=%d gap_p50_ms=%.0f"
              + " gap_p99_ms=%.0f gap_p999_ms=%.0f gap_max_ms=%.0f",
          sources.size(), fetches.get(), errors.get(), missed.get() + stalled, stalled, deadlineNanos / 1_000_000,
          gaps.getValueAtPercentile(50) / 1e6, gaps.getValueAtPercentile(99) / 1e6,
          gaps.getValueAtPercentile(99.9) / 1e6, gaps.getMaxValue() / 1e6);
    }
  }

  private final class Recording implements SignalSource<LoadReading> {
    private final SignalSource<LoadReading> source;
    // Written only by the owning watch's refresher (one at a time), read by report(). Any long is a
    // possible nanoTime, so "no fetch yet" is its own flag rather than a sentinel value.
    private volatile long lastEnd;
    private volatile boolean fetched;

    Recording(SignalSource<LoadReading> source) {
      this.source = source;
      sources.add(this);
    }

    @Override
    public LoadReading fetch() throws SignalException {
      try {
        return source.fetch();
      } catch (SignalException | RuntimeException e) {
        errors.incrementAndGet();
        throw e;
      } finally {
        long end = nanoTime.getAsLong();
        fetches.incrementAndGet();
        if (fetched) {
          long gap = end - lastEnd;
          if (gap > deadlineNanos) {
            missed.incrementAndGet();
          }
          synchronized (gaps) {
            gaps.recordValue(Math.min(gap, gaps.getHighestTrackableValue()));
          }
        }
        lastEnd = end;
        fetched = true;
      }
    }

    @Override
    public void close() {
      sources.remove(this);
      source.close();
    }
  }
}
