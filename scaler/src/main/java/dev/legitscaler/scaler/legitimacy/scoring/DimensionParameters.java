package dev.legitscaler.scaler.legitimacy.scoring;

import java.util.Optional;

/**
 * The evidence dimensions beyond rate and novelty (docs/legitimacy.md §14) and their thresholds. Each
 * dimension is optional; a dimension whose data the records do not carry stays silent by itself.
 *
 * @param network clients by network prefix (IPv4 /24 and /16, IPv6 /48 and /32)
 * @param attributes user-agent, path and TLS-fingerprint distributions against their baseline
 * @param timing inter-arrival regularity per client
 * @param payload the model's input features against a reference profile
 * @param topPrefixes how many of the busiest prefixes make up the concentration share
 * @param networkShift rise of the top prefixes' share above its baseline that raises NETWORK_CONCENTRATION
 * @param attributeShift total-variation distance to the baseline (beyond sampling noise) that raises
 *     ATTRIBUTE_SHIFT
 * @param periodicShift rise of the periodic clients' traffic share above its baseline that raises
 *     PERIODIC_CLIENTS
 * @param payloadPsi population stability index (largest over the features) that raises PAYLOAD_DRIFT
 * @param payloadReference decile edges per feature given by the operator; empty: learned at start
 */
public record DimensionParameters(boolean network, boolean attributes, boolean timing, boolean payload,
    int topPrefixes, double networkShift, double attributeShift, double periodicShift, double payloadPsi,
    Optional<double[][]> payloadReference) {

  /** Features beyond this index are ignored (bounded memory per bucket). */
  public static final int MAX_FEATURES = 16;
  /** Bins of each attribute histogram (values hashed into them). */
  public static final int ATTRIBUTE_BINS = 64;
  /** Bins of each feature histogram (between the reference's edges). */
  public static final int FEATURE_BINS = 10;

  /** The dimensions' signals in a reading (exported as {@code legitscaler_legitimacy_dimension}). */
  public static final java.util.List<String> SIGNALS = java.util.List.of("network_top_share_24",
      "network_top_share_24_baseline", "network_top_share_16", "network_top_share_16_baseline",
      "network_new_sharing_24", "network_new_sharing_24_baseline", "user_agent_shift",
      "path_shift", "tls_shift", "periodic_share", "periodic_share_baseline", "payload_psi",
      "payload_psi_new_clients",
      // the hour-of-day baseline (docs/legitimacy.md section 15), exported alongside
      "hour_baseline_ready", "hour_baseline_rate", "hour_growth");

  public DimensionParameters {
    payloadReference = payloadReference == null ? Optional.empty() : payloadReference;
  }

  public static DimensionParameters defaults() {
    return new DimensionParameters(true, true, true, true, 64, 0.15, 0.15, 0.20, 0.25, Optional.empty());
  }

  /** Every dimension off: the scorer of rate and novelty alone. */
  public static DimensionParameters none() {
    return new DimensionParameters(false, false, false, false, 64, 0.15, 0.15, 0.20, 0.25, Optional.empty());
  }
}
