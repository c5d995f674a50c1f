package dev.legitscaler.loadtest.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A logistic regression: p = sigmoid(w · x + b). Small, but a real model with real weights. */
public record LogisticModel(String name, String version, double[] weights, double bias) {

  public static final String BUNDLED = "/model/logistic-weights.json";

  public LogisticModel {
    weights = weights.clone();
  }

  /** The weights bundled in the jar. */
  public static LogisticModel bundled() {
    try (InputStream in = LogisticModel.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BUNDLED);
      }
      return read(in.readAllBytes(), BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Weights from a JSON file of the same form as the bundled one. */
  public static LogisticModel fromFile(Path file) {
    try {
      return read(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LogisticModel read(byte[] json, String source) throws IOException {
    JsonNode root = new ObjectMapper().readTree(json);
    JsonNode w = root.path("weights");
    if (!w.isArray() || w.isEmpty() || !root.path("bias").isNumber()) {
      throw new IllegalArgumentException(source + ": expected {\"weights\": [numbers], \"bias\": number}");
    }
    double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = w.get(i).asDouble();
    }
    return new LogisticModel(root.path("name").asText("logistic"), root.path("version").asText("0"), weights,
        root.path("bias").asDouble());
  }

  public int featureCount() {
    return weights.length;
  }

  /** Probability of the positive class. */
  public double predict(double[] x) {
    if (x.length != weights.length) {
      throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
    }
    double z = bias;
    for (int i = 0; i < x.length; i++) {
      z += weights[i] * x[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogisticModel m && name.equals(m.name) && version.equals(m.version)
        && Arrays.equals(weights, m.weights) && bias == m.bias;
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return name + "@" + version + Arrays.toString(weights) + "+" + bias;
  }
}
