package dev.legitscaler.loadtest.sweep;

/**
 * The one dimension in which a sweep's bots differ from the legitimate population; every other one
 * mimics it (the same networks, user agents, paths, TLS fingerprints, Poisson timing, reference payloads).
 */
public enum DifferingDimension {
  /** Nothing differs: the bots are drawn from the population's own distributions. */
  NONE("none"),
  /** The bots come from 20 /24 networks of their own, where the population spreads over 3000. */
  NETWORKS("networks"),
  /** The bots send 20 user agents no legitimate client sends. */
  ATTRIBUTES("attributes"),
  /** The bots are scripted: periodic with ± 5 % jitter instead of Poisson. */
  TIMING("timing"),
  /** The bots' payload features are shifted by 0.5 from the model's reference distribution. */
  PAYLOADS("payloads");

  private final String keyword;

  DifferingDimension(String keyword) {
    this.keyword = keyword;
  }

  public String keyword() {
    return keyword;
  }
}
