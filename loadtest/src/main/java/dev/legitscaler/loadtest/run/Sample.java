package dev.legitscaler.loadtest.run;

import java.util.Map;
import java.util.Set;

/**
 * Everything read at one sampling instant ({@code t} in scenario seconds). Null fields were not
 * available (e.g. before the scaler published anything).
 *
 * @param firingAlerts alert name to severity, for the alerts firing at this instant
 * @param pendingAlerts names of the pending alerts
 */
public record Sample(
    double t,
    Integer replicas,
    Double publishedValue,
    Double demandLoad,
    Double demandLag,
    Double legitimacyScore,
    Double attackSuspected,
    Double loadMax,
    Double loadMean,
    Double lag,
    Double achievedRate,
    Double latencyP95Ms,
    Map<String, String> firingAlerts,
    Set<String> pendingAlerts,
    Integer notifications) {}
