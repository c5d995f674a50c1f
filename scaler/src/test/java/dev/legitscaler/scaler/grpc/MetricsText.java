package dev.legitscaler.scaler.grpc;

import dev.legitscaler.scaler.metrics.ScalerMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text exposition of a ScalerMetrics registry, as /metrics would serve it. */
final class MetricsText {
  private MetricsText() {}

  static String of(ScalerMetrics metrics) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
