package dev.legitscaler.loadtest.run;

import java.util.List;

/**
 * Whether the live run and the offline evaluation of the same scenario tell the same story: replica
 * counts within ±1 for at least 90 % of the scenario's seconds, wasted and under-provisioned
 * replica-minutes within 20 % of each other (or 1 replica-minute), attack detection within one scaler
 * refresh plus 10 s. Pure arithmetic over the per-second rows.
 *
 * @param replicasWithinOneShare share of the scenario's seconds where |live − offline| ≤ 1 (a second
 *     without a live sample counts as a disagreement)
 */
record Agreement(double replicasWithinOneShare, Pair wasted, Pair under, Double liveDetection, Double offlineDetection,
    boolean replicasAgree, boolean wastedAgree, boolean underAgree, boolean detectionAgree) {

  static final double REPLICA_SHARE = 0.9;
  static final double RELATIVE = 0.2;
  static final double ABSOLUTE_REPLICA_MINUTES = 1.0;
  static final double DETECTION_SLACK_SECONDS = 10;

  /** A live and an offline number. */
  record Pair(double live, double offline) {
    boolean close() {
      double diff = Math.abs(live - offline);
      return diff <= ABSOLUTE_REPLICA_MINUTES || diff <= RELATIVE * Math.max(Math.abs(live), Math.abs(offline));
    }
  }

  boolean agrees() {
    return replicasAgree && wastedAgree && underAgree && detectionAgree;
  }

  /**
   * @param live live replicas per scenario second (null: no sample)
   * @param offline the offline evaluation's replicas per second
   * @param needed replicas the legitimate traffic needed per second
   * @param liveDetection seconds from the attack's start to the live scaler flagging it (null: never or no attack)
   * @param offlineDetection the same offline
   * @param refreshSeconds the scaler's refresh interval, scenario seconds
   * @param attack whether the scenario has an attack (else detection agrees trivially)
   */
  static Agreement of(List<Integer> live, List<Integer> offline, List<Integer> needed, Double liveDetection,
      Double offlineDetection, double refreshSeconds, boolean attack) {
    int n = Math.min(live.size(), Math.min(offline.size(), needed.size()));
    int within = 0;
    double wastedLive = 0;
    double wastedOffline = 0;
    double underLive = 0;
    double underOffline = 0;
    for (int i = 0; i < n; i++) {
      Integer l = live.get(i);
      int o = offline.get(i);
      int need = needed.get(i);
      wastedOffline += Math.max(0, o - need) / 60.0;
      underOffline += Math.max(0, need - o) / 60.0;
      if (l == null) {
        continue;
      }
      within += Math.abs(l - o) <= 1 ? 1 : 0;
      wastedLive += Math.max(0, l - need) / 60.0;
      underLive += Math.max(0, need - l) / 60.0;
    }
    double share = n == 0 ? 0 : (double) within / n;
    Pair wasted = new Pair(wastedLive, wastedOffline);
    Pair under = new Pair(underLive, underOffline);
    boolean detection;
    if (!attack) {
      detection = true;
    } else if (liveDetection == null || offlineDetection == null) {
      detection = liveDetection == null && offlineDetection == null;
    } else {
      detection = Math.abs(liveDetection - offlineDetection) <= refreshSeconds + DETECTION_SLACK_SECONDS;
    }
    return new Agreement(share, wasted, under, liveDetection, offlineDetection, n > 0 && share >= REPLICA_SHARE,
        wasted.close(), under.close(), detection);
  }
}
