package dev.legitscaler.scaler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.config.Metadata;
import dev.legitscaler.scaler.signal.SignalSource;
import dev.legitscaler.scaler.decision.LoadReading;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefreshDeadlinesTest {
  private static final long S = 1_000_000_000L;

  record Row(String what, long[] fetchEndsSeconds, long reportAtSeconds, String expected) {}

  @Test
  void countsGapsAboveIntervalPlusSlackAndWatchesThatStopped() throws Exception {
    Row[] rows = {
        new Row("on time", new long[] {0, 5, 10, 15}, 16, "fetches=4 errors=0 missed=0 stalled=0"),
        new Row("exactly interval + slack is met", new long[] {0, 6, 12}, 12, "fetches=3 errors=0 missed=0 stalled=0"),
        new Row("one late refresh", new long[] {0, 5, 12, 17}, 18, "fetches=4 errors=0 missed=1 stalled=0"),
        new Row("stopped refreshing", new long[] {0, 5}, 20, "fetches=2 errors=0 missed=1 stalled=1"),
        new Row("late and then stopped", new long[] {0, 9}, 30, "fetches=2 errors=0 missed=2 stalled=1"),
    };
    for (Row r : rows) {
      AtomicLong now = new AtomicLong();
      RefreshDeadlines d = new RefreshDeadlines(new SyntheticSignalFactory(), Duration.ofSeconds(5), Duration.ofSeconds(1),
          now::get);
      SignalSource<LoadReading> source = d.load(new Metadata(Map.of("loadQuery", "synthetic")), "ns", "so")
          .orElseThrow().opener().get();
      for (long t : r.fetchEndsSeconds()) {
        now.set(t * S);
        assertThat(source.fetch().instances()).hasSize(5);
      }
      now.set(r.reportAtSeconds() * S);
      assertThat(d.report()).as(r.what()).contains("watches=1 " + r.expected(), "deadline_ms=6000");
    }
  }
}
