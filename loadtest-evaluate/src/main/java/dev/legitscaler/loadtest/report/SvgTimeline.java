package dev.legitscaler.loadtest.report;

import static dev.legitscaler.loadtest.report.Xml.esc;
import static dev.legitscaler.loadtest.report.Xml.num;
import static dev.legitscaler.loadtest.report.Xml.px;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lane chart over scenario time: intervals (an alert from firing to resolved) and point markers
 * (notifications) on labelled lanes. Markers: circle = webhook, square = e-mail; filled = firing,
 * hollow = resolved; each carries a tooltip with receiver, channel, alert and status.
 */
public final class SvgTimeline {
  /** A bar on a lane; {@code to} NaN = still open at the end of the run. */
  public record Interval(String lane, double from, double to, String label, String color) {}

  /** A point on a lane. */
  public record Marker(String lane, double at, String label, boolean square, boolean filled, String color) {}

  private final String title;
  private final String xLabel;
  private final List<Interval> intervals = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private double xMin = 0;
  private double xMax = Double.NaN;

  public SvgTimeline(String title, String xLabel) {
    this.title = title;
    this.xLabel = xLabel;
  }

  public SvgTimeline interval(String lane, double from, double to, String label, String color) {
    intervals.add(new Interval(lane, from, to, label, color));
    return this;
  }

  public SvgTimeline marker(String lane, double at, String label, boolean square, boolean filled, String color) {
    markers.add(new Marker(lane, at, label, square, filled, color));
    return this;
  }

  /** The run's time span (so bars still open at the end reach it). */
  public SvgTimeline xRange(double min, double max) {
    xMin = min;
    xMax = max;
    return this;
  }

  public boolean hasData() {
    return !intervals.isEmpty() || !markers.isEmpty();
  }

  public String render() {
    Map<String, Integer> lanes = new LinkedHashMap<>();
    intervals.forEach(i -> lanes.putIfAbsent(i.lane(), lanes.size()));
    markers.forEach(m -> lanes.putIfAbsent(m.lane(), lanes.size()));
    int width = 900;
    int laneH = 24;
    int height = hasData() ? 60 + laneH * lanes.size() + 40 : 120;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
    sb.append("<title>").append(esc(title)).append("</title>");
    sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#ffffff\"/>");
    sb.append("<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">").append(esc(title)).append("</text>");
    if (!hasData()) {
      sb.append("<text class=\"nodata\" x=\"").append(width / 2).append("\" y=\"").append(height / 2 + 10)
          .append("\" text-anchor=\"middle\" font-size=\"16\" fill=\"#888888\">no data</text></svg>");
      return sb.toString();
    }
    double max = Double.isFinite(xMax) ? xMax : Double.NEGATIVE_INFINITY;
    for (Interval i : intervals) {
      max = Math.max(max, Double.isFinite(i.to()) ? i.to() : i.from());
    }
    for (Marker m : markers) {
      max = Math.max(max, m.at());
    }
    double min = xMin;
    if (!(max > min)) {
      max = min + 1;
    }
    double left = 230;
    double right = width - 20;
    double top = 40;
    double bottom = top + laneH * lanes.size();
    final double fMin = min;
    final double fMax = max;
    java.util.function.DoubleUnaryOperator sx = x -> left + (Math.max(fMin, Math.min(fMax, x)) - fMin) / (fMax - fMin) * (right - left);

    SvgLineChart.Ticks ticks = SvgLineChart.Ticks.of(min, max, 8);
    sb.append("<g font-size=\"11\" fill=\"#333333\">");
    for (double v : ticks.values()) {
      if (v < min - 1e-9 || v > max + 1e-9) {
        continue;
      }
      double x = sx.applyAsDouble(v);
      sb.append("<line x1=\"").append(px(x)).append("\" x2=\"").append(px(x)).append("\" y1=\"").append(px(top))
          .append("\" y2=\"").append(px(bottom + 4)).append("\" stroke=\"#e5e5e5\"/>");
      sb.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(bottom + 16)).append("\" text-anchor=\"middle\">")
          .append(esc(ticks.label(v))).append("</text>");
    }
    for (Map.Entry<String, Integer> lane : lanes.entrySet()) {
      double y = top + laneH * lane.getValue();
      sb.append("<text x=\"").append(px(left - 6)).append("\" y=\"").append(px(y + laneH / 2.0 + 4))
          .append("\" text-anchor=\"end\">").append(esc(lane.getKey())).append("</text>");
      sb.append("<line x1=\"").append(px(left)).append("\" x2=\"").append(px(right)).append("\" y1=\"")
          .append(px(y + laneH)).append("\" y2=\"").append(px(y + laneH)).append("\" stroke=\"#f0f0f0\"/>");
    }
    sb.append("</g>");
    sb.append("<text x=\"").append(px((left + right) / 2)).append("\" y=\"").append(height - 6)
        .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(xLabel)).append("</text>");
    for (Interval i : intervals) {
      double y = top + laneH * lanes.get(i.lane()) + 5;
      double x0 = sx.applyAsDouble(i.from());
      double x1 = sx.applyAsDouble(Double.isFinite(i.to()) ? i.to() : max);
      sb.append("<rect class=\"interval\" x=\"").append(px(x0)).append("\" y=\"").append(px(y)).append("\" width=\"")
          .append(px(Math.max(2, x1 - x0))).append("\" height=\"").append(laneH - 10).append("\" fill=\"")
          .append(esc(i.color())).append("\" fill-opacity=\"0.7\"><title>").append(esc(i.label())).append("</title></rect>");
    }
    for (Marker m : markers) {
      double cy = top + laneH * lanes.get(m.lane()) + laneH / 2.0;
      double cx = sx.applyAsDouble(m.at());
      String fill = m.filled() ? esc(m.color()) : "#ffffff";
      if (m.square()) {
        sb.append("<rect class=\"marker\" x=\"").append(px(cx - 5)).append("\" y=\"").append(px(cy - 5))
            .append("\" width=\"10\" height=\"10\"");
      } else {
        sb.append("<circle class=\"marker\" cx=\"").append(px(cx)).append("\" cy=\"").append(px(cy)).append("\" r=\"5.5\"");
      }
      sb.append(" fill=\"").append(fill).append("\" stroke=\"").append(esc(m.color())).append("\" stroke-width=\"2\"><title>")
          .append(esc(m.label())).append("</title>").append(m.square() ? "</rect>" : "</circle>");
    }
    sb.append("<text x=\"").append(px(left)).append("\" y=\"32\" font-size=\"11\" fill=\"#555555\">")
        .append(esc("○ webhook   □ e-mail   filled = firing, hollow = resolved; bars: alert firing (" + num(min) + "–" + num(max) + " s)"))
        .append("</text>");
    sb.append("</svg>");
    return sb.toString();
  }
}
