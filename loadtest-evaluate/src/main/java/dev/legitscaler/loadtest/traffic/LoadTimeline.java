package dev.legitscaler.loadtest.traffic;

import dev.legitscaler.loadtest.scenario.Legitimate;
import dev.legitscaler.loadtest.scenario.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The legitimate load level (multiple of the baseline rate), the share of never-seen clients and the
 * phase name at every instant of scenario time, from the scenario's phases.
 */
final class LoadTimeline {

  private record Segment(long startNanos, long endNanos, double baseLevel, Phase phase) {}

  private final List<Segment> segments = new ArrayList<>();
  private final double baseNewShare;
  private final double finalLevel;
  private final String finalName;

  LoadTimeline(Legitimate legitimate) {
    baseNewShare = legitimate.newClientShareOrDefault();
    long t = 0;
    double level = 1.0;
    String name = "steady";
    for (Phase phase : legitimate.phases()) {
      long end = t + phase.duration().toNanos();
      segments.add(new Segment(t, end, level, phase));
      level = levelAfter(phase, level);
      name = phase.nameOrKind();
      t = end;
    }
    finalLevel = level;
    finalName = name;
  }

  double levelAt(long nanos) {
    Segment s = segmentAt(nanos);
    return s == null ? finalLevel : levelIn(s, nanos - s.startNanos());
  }

  /** Share of the legitimate traffic sent by never-seen clients at that instant. */
  double newClientShareAt(long nanos) {
    Segment s = segmentAt(nanos);
    if (s != null && s.phase() instanceof Phase.FlashCrowd fc) {
      double level = levelIn(s, nanos - s.startNanos());
      if (level <= 0) {
        return baseNewShare;
      }
      double extra = Math.max(0, level - s.baseLevel());
      return (s.baseLevel() * baseNewShare + extra * fc.newClientShareOrDefault()) / level;
    }
    return baseNewShare;
  }

  String phaseAt(long nanos) {
    Segment s = segmentAt(nanos);
    return s == null ? finalName : s.phase().nameOrKind();
  }

  private Segment segmentAt(long nanos) {
    for (Segment s : segments) {
      if (nanos >= s.startNanos() && nanos < s.endNanos()) {
        return s;
      }
    }
    return null;
  }

  private static double levelAfter(Phase phase, double base) {
    if (phase instanceof Phase.Ramp r) {
      return r.to();
    }
    if (phase instanceof Phase.Step s) {
      return s.to();
    }
    return base;
  }

  private static double levelIn(Segment s, long into) {
    Phase phase = s.phase();
    double base = s.baseLevel();
    long length = s.endNanos() - s.startNanos();
    if (phase instanceof Phase.Ramp r) {
      return base + (r.to() - base) * into / (double) length;
    }
    if (phase instanceof Phase.Step st) {
      return st.to();
    }
    if (phase instanceof Phase.FlashCrowd fc) {
      long up = fc.rampUpOrDefault().toNanos();
      long down = fc.rampDownOrDefault().toNanos();
      double factor;
      if (into < up) {
        factor = 1 + (fc.peak() - 1) * into / (double) up;
      } else if (into > length - down) {
        factor = 1 + (fc.peak() - 1) * (length - into) / (double) down;
      } else {
        factor = fc.peak();
      }
      return base * factor;
    }
    return base;
  }
}
