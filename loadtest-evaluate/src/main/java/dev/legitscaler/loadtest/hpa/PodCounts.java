package dev.legitscaler.loadtest.hpa;

/**
 * Pods behind the target's selector. Only the Value path reads them (upstream getReadyPodsCount):
 * Running and Ready pods count; no pods at all is an error, pods present but none ready propose 0.
 */
public record PodCounts(int total, int ready) {
  public PodCounts {
    if (total < 0 || ready < 0 || ready > total) {
      throw new IllegalArgumentException("pods: need 0 <= ready <= total, got ready " + ready + " of " + total);
    }
  }

  public static PodCounts allReady(int n) {
    return new PodCounts(n, n);
  }
}
