package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Shape of the per-client rate distribution. Every shape has mean 1: the traffic model multiplies it by
 * the mean per-client rate ({@code rate / activeClients}), so the shape never changes the total rate.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "distribution")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RateDistribution.Constant.class, name = "constant"),
  @JsonSubTypes.Type(value = RateDistribution.LogNormal.class, name = "lognormal"),
  @JsonSubTypes.Type(value = RateDistribution.Pareto.class, name = "pareto"),
})
public sealed interface RateDistribution {

  /** Maps a uniform u in (0, 1) to a relative rate (mean 1 over u). */
  double relativeRate(double u, double gaussian);

  /** Every client sends at the mean rate. */
  record Constant() implements RateDistribution {
    @Override
    public double relativeRate(double u, double gaussian) {
      return 1.0;
    }
  }

  /** Log-normal with the given sigma (0.5 mild, 1.0 strongly skewed), mean 1. */
  record LogNormal(@JsonProperty("sigma") Double sigma) implements RateDistribution {
    @Override
    public double relativeRate(double u, double gaussian) {
      double s = sigma;
      return Math.exp(s * gaussian - s * s / 2);
    }
  }

  /** Pareto with shape alpha (> 1; smaller = heavier tail), mean 1. */
  record Pareto(@JsonProperty("alpha") Double alpha) implements RateDistribution {
    @Override
    public double relativeRate(double u, double gaussian) {
      double a = alpha;
      double scale = (a - 1) / a;
      return scale / Math.pow(1 - u, 1 / a);
    }
  }
}
