package dev.legitscaler.scaler.signal.prometheus;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data of a successful instant query. Only the two result types an instant query can usefully
 * return for a scaling signal are modelled; a matrix or string answer is a {@code bad_response}.
 */
public sealed interface QueryResult {

  /** An instant vector: zero or more series, each with its label set and one value. */
  record Vector(List<Sample> samples) implements QueryResult {
    public Vector {
      samples = List.copyOf(samples);
    }
  }

  /** A scalar, e.g. from {@code scalar(...)} or a number literal. */
  record Scalar(double value) implements QueryResult {}

  /** One series of a vector. The value may be NaN or ±Inf: Prometheus answers them as such. */
  record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(new TreeMap<>(labels));
    }
  }
}
