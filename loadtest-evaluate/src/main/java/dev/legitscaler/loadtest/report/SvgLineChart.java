package dev.legitscaler.loadtest.report;

import static dev.legitscaler.loadtest.report.Xml.esc;
import static dev.legitscaler.loadtest.report.Xml.num;
import static dev.legitscaler.loadtest.report.Xml.px;

import java.util.ArrayList;
import java.util.List;

/**
 * A small inline-SVG line chart: several series over a shared x axis, axis ticks, a legend, horizontal
 * threshold lines and shaded x intervals. Missing samples (NaN) break a line instead of bridging it,
 * so a gap in the data stays visible. A chart without any finite sample renders "no data" rather than
 * an empty frame or an error. Output is plain XML (no namespace declaration needed inside HTML5, no
 * external resources).
 */
public final class SvgLineChart {
  /** One line; {@code step} draws it as a staircase (replica counts change in steps, not slopes). */
  public record Series(String name, String color, double[] xs, double[] ys, boolean step, boolean dashed) {
    public Series {
      if (xs.length != ys.length) {
        throw new IllegalArgumentException("series " + name + ": " + xs.length + " x values, " + ys.length + " y values");
      }
    }

    boolean hasData() {
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
          return true;
        }
      }
      return false;
    }
  }

  /** A horizontal line across the plot, e.g. a replica bound or an alert threshold. */
  public record Threshold(double y, String label, String color) {}

  /** A shaded x interval, e.g. while an attack was suspected. */
  public record Band(double from, double to, String label, String color) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final int width;
  private final int height;
  private final List<Series> series = new ArrayList<>();
  private final List<Threshold> thresholds = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();
  private double yMinHint = Double.NaN;
  private double yMaxHint = Double.NaN;
  private double xMinHint = Double.NaN;
  private double xMaxHint = Double.NaN;

  public SvgLineChart(String title, String xLabel, String yLabel) {
    this(title, xLabel, yLabel, 900, 260);
  }

  public SvgLineChart(String title, String xLabel, String yLabel, int width, int height) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.width = width;
    this.height = height;
  }

  public SvgLineChart line(String name, String color, double[] xs, double[] ys) {
    series.add(new Series(name, color, xs, ys, false, false));
    return this;
  }

  public SvgLineChart add(Series s) {
    series.add(s);
    return this;
  }

  public SvgLineChart threshold(double y, String label, String color) {
    thresholds.add(new Threshold(y, label, color));
    return this;
  }

  public SvgLineChart band(double from, double to, String label, String color) {
    bands.add(new Band(from, to, label, color));
    return this;
  }

  /** The y axis covers at least [min, max] (data outside widens it). */
  public SvgLineChart yRange(double min, double max) {
    yMinHint = min;
    yMaxHint = max;
    return this;
  }

  /** The x axis covers at least [min, max]. */
  public SvgLineChart xRange(double min, double max) {
    xMinHint = min;
    xMaxHint = max;
    return this;
  }

  public boolean hasData() {
    return series.stream().anyMatch(Series::hasData);
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"chart\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
    sb.append("<title>").append(esc(title)).append("</title>");
    sb.append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
        .append("\" fill=\"#ffffff\"/>");
    sb.append("<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">").append(esc(title)).append("</text>");
    if (!hasData()) {
      sb.append("<text class=\"nodata\" x=\"").append(width / 2).append("\" y=\"").append(height / 2)
          .append("\" text-anchor=\"middle\" font-size=\"16\" fill=\"#888888\">no data</text></svg>");
      return sb.toString();
    }
    double left = 60;
    double right = width - 20;
    double top = 50;
    double bottom = height - 40;

    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
          xMin = Math.min(xMin, s.xs()[i]);
          xMax = Math.max(xMax, s.xs()[i]);
          yMin = Math.min(yMin, s.ys()[i]);
          yMax = Math.max(yMax, s.ys()[i]);
        }
      }
    }
    for (Threshold t : thresholds) {
      yMin = Math.min(yMin, t.y());
      yMax = Math.max(yMax, t.y());
    }
    if (Double.isFinite(yMinHint)) {
      yMin = Math.min(yMin, yMinHint);
    }
    if (Double.isFinite(yMaxHint)) {
      yMax = Math.max(yMax, yMaxHint);
    }
    if (Double.isFinite(xMinHint)) {
      xMin = Math.min(xMin, xMinHint);
    }
    if (Double.isFinite(xMaxHint)) {
      xMax = Math.max(xMax, xMaxHint);
    }
    if (xMax <= xMin) {
      xMax = xMin + 1;
    }
    if (yMax <= yMin) {
      yMax = yMin + 1;
      yMin = yMin - 1;
    }
    Ticks yt = Ticks.of(yMin, yMax, 5);
    yMin = Math.min(yMin, yt.start());
    yMax = Math.max(yMax, yt.end());
    Ticks xt = Ticks.of(xMin, xMax, 8);
    final double fxMin = xMin;
    final double fxMax = xMax;
    final double fyMin = yMin;
    final double fyMax = yMax;
    java.util.function.DoubleUnaryOperator sx = x -> left + (x - fxMin) / (fxMax - fxMin) * (right - left);
    java.util.function.DoubleUnaryOperator sy = y -> bottom - (y - fyMin) / (fyMax - fyMin) * (bottom - top);

    // shaded intervals under everything else
    for (Band b : bands) {
      double x0 = sx.applyAsDouble(Math.max(b.from(), xMin));
      double x1 = sx.applyAsDouble(Math.min(b.to(), xMax));
      if (x1 > x0) {
        sb.append("<rect class=\"band\" x=\"").append(px(x0)).append("\" y=\"").append(px(top))
            .append("\" width=\"").append(px(x1 - x0)).append("\" height=\"").append(px(bottom - top))
            .append("\" fill=\"").append(esc(b.color())).append("\" fill-opacity=\"0.18\"><title>")
            .append(esc(b.label() + ": " + num(b.from()) + " – " + num(b.to()))).append("</title></rect>");
      }
    }
    // grid and ticks
    sb.append("<g font-size=\"11\" fill=\"#333333\">");
    for (double v : yt.values()) {
      double y = sy.applyAsDouble(v);
      sb.append("<line x1=\"").append(px(left)).append("\" x2=\"").append(px(right)).append("\" y1=\"").append(px(y))
          .append("\" y2=\"").append(px(y)).append("\" stroke=\"#e5e5e5\"/>");
      sb.append("<text x=\"").append(px(left - 6)).append("\" y=\"").append(px(y + 4))
          .append("\" text-anchor=\"end\">").append(esc(yt.label(v))).append("</text>");
    }
    for (double v : xt.values()) {
      if (v < xMin - 1e-9 || v > xMax + 1e-9) {
        continue;
      }
      double x = sx.applyAsDouble(v);
      sb.append("<line x1=\"").append(px(x)).append("\" x2=\"").append(px(x)).append("\" y1=\"").append(px(bottom))
          .append("\" y2=\"").append(px(bottom + 4)).append("\" stroke=\"#333333\"/>");
      sb.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(bottom + 16))
          .append("\" text-anchor=\"middle\">").append(esc(xt.label(v))).append("</text>");
    }
    sb.append("</g>");
    sb.append("<rect x=\"").append(px(left)).append("\" y=\"").append(px(top)).append("\" width=\"")
        .append(px(right - left)).append("\" height=\"").append(px(bottom - top))
        .append("\" fill=\"none\" stroke=\"#999999\"/>");
    sb.append("<text x=\"").append(px((left + right) / 2)).append("\" y=\"").append(height - 6)
        .append("\" text-anchor=\"middle\" font-size=\"12\">").append(esc(xLabel)).append("</text>");
    sb.append("<text x=\"14\" y=\"").append(px((top + bottom) / 2)).append("\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 ")
        .append(px((top + bottom) / 2)).append(")\">").append(esc(yLabel)).append("</text>");

    // thresholds
    for (Threshold t : thresholds) {
      double y = sy.applyAsDouble(t.y());
      sb.append("<line class=\"threshold\" x1=\"").append(px(left)).append("\" x2=\"").append(px(right))
          .append("\" y1=\"").append(px(y)).append("\" y2=\"").append(px(y)).append("\" stroke=\"")
          .append(esc(t.color())).append("\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>");
      sb.append("<text x=\"").append(px(right - 4)).append("\" y=\"").append(px(y - 4))
          .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"").append(esc(t.color())).append("\">")
          .append(esc(t.label())).append("</text>");
    }
    // series
    for (Series s : series) {
      String d = path(s, sx, sy);
      if (d.isEmpty()) {
        continue;
      }
      sb.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(esc(s.color()))
          .append("\" stroke-width=\"1.8\"").append(s.dashed() ? " stroke-dasharray=\"4 3\"" : "")
          .append("><title>").append(esc(s.name())).append("</title></path>");
    }
    // legend (series, then bands), one row above the plot
    double lx = left;
    double ly = 36;
    sb.append("<g class=\"legend\" font-size=\"12\">");
    for (Series s : series) {
      sb.append("<line x1=\"").append(px(lx)).append("\" x2=\"").append(px(lx + 18)).append("\" y1=\"")
          .append(px(ly - 4)).append("\" y2=\"").append(px(ly - 4)).append("\" stroke=\"").append(esc(s.color()))
          .append("\" stroke-width=\"3\"").append(s.dashed() ? " stroke-dasharray=\"4 3\"" : "").append("/>");
      String label = s.name() + (s.hasData() ? "" : " (no data)");
      sb.append("<text x=\"").append(px(lx + 22)).append("\" y=\"").append(px(ly)).append("\">")
          .append(esc(label)).append("</text>");
      lx += 34 + 6.5 * label.length();
    }
    List<String> bandLabels = bands.stream().map(Band::label).distinct().toList();
    for (String label : bandLabels) {
      String color = bands.stream().filter(b -> b.label().equals(label)).findFirst().orElseThrow().color();
      sb.append("<rect x=\"").append(px(lx)).append("\" y=\"").append(px(ly - 10)).append("\" width=\"14\" height=\"12\" fill=\"")
          .append(esc(color)).append("\" fill-opacity=\"0.3\"/>");
      sb.append("<text x=\"").append(px(lx + 18)).append("\" y=\"").append(px(ly)).append("\">").append(esc(label)).append("</text>");
      lx += 30 + 6.5 * label.length();
    }
    sb.append("</g></svg>");
    return sb.toString();
  }

  private static String path(Series s, java.util.function.DoubleUnaryOperator sx, java.util.function.DoubleUnaryOperator sy) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    double prevY = Double.NaN;
    for (int i = 0; i < s.xs().length; i++) {
      double x = s.xs()[i];
      double y = s.ys()[i];
      if (!Double.isFinite(x) || !Double.isFinite(y)) {
        pen = false;
        continue;
      }
      double px = sx.applyAsDouble(x);
      double py = sy.applyAsDouble(y);
      if (!pen) {
        d.append(d.length() == 0 ? "" : " ").append('M').append(px(px)).append(' ').append(px(py));
        pen = true;
      } else if (s.step()) {
        d.append(" H").append(px(px));
        if (py != prevY) {
          d.append(" V").append(px(py));
        }
      } else {
        d.append(" L").append(px(px)).append(' ').append(px(py));
      }
      prevY = py;
    }
    return d.toString();
  }

  /** "Nice" tick values (1, 2, 5 × 10^k steps) covering [min, max]. */
  record Ticks(double start, double end, double step) {
    static Ticks of(double min, double max, int target) {
      double raw = (max - min) / Math.max(1, target);
      double mag = Math.pow(10, Math.floor(Math.log10(raw)));
      double norm = raw / mag;
      double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
      return new Ticks(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
    }

    List<Double> values() {
      List<Double> v = new ArrayList<>();
      for (int i = 0; start + i * step <= end + step * 1e-9 && i < 100; i++) {
        v.add(start + i * step);
      }
      return v;
    }

    String label(double v) {
      // avoid 0.30000000000000004
      return num(Math.round(v / step) * step);
    }
  }
}
