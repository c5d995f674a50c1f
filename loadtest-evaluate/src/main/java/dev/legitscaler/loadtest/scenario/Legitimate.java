package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The legitimate client population and how its load changes over time.
 *
 * @param rate baseline legitimate rate in requests per second (level 1.0)
 * @param activeClients clients sending at the baseline level; growth is carried by more clients at
 *     normal per-client rates (the flash-crowd signature), not by the same clients sending faster
 * @param knownClients returning clients (seen before the run); must be at least {@code activeClients}.
 *     Growth draws first on known clients that were not active, then on new ones
 * @param ratePerClient the shape of the per-client rate distribution (mean normalised to
 *     {@code rate / activeClients})
 * @param newClientShare share of baseline traffic sent by never-seen clients
 * @param invalidShare share of legitimate requests whose payload the model rejects
 * @param arrivals how request counts are drawn: {@code poisson} (independent clients) or {@code even}
 *     (counts equal to the rate, times still random)
 * @param profile networks, attributes and payloads of the population (optional)
 * @param phases consecutive load phases from time 0; after the last one its final level holds
 */
public record Legitimate(
    @JsonProperty("rate") Double rate,
    @JsonProperty("activeClients") Integer activeClients,
    @JsonProperty("knownClients") Integer knownClients,
    @JsonProperty("ratePerClient") RateDistribution ratePerClient,
    @JsonProperty("newClientShare") Double newClientShare,
    @JsonProperty("invalidShare") Double invalidShare,
    @JsonProperty("arrivals") Arrivals arrivals,
    @JsonProperty("phases") List<Phase> phases,
    @JsonProperty("profile") TrafficProfile profile) {

  public Legitimate {
    phases = phases == null ? List.of() : List.copyOf(phases);
  }

  public int knownClientsOrDefault() {
    return knownClients == null ? activeClients : knownClients;
  }

  public RateDistribution ratePerClientOrDefault() {
    return ratePerClient == null ? new RateDistribution.Constant() : ratePerClient;
  }

  public double newClientShareOrDefault() {
    return newClientShare == null ? 0.0 : newClientShare;
  }

  public double invalidShareOrDefault() {
    return invalidShare == null ? 0.0 : invalidShare;
  }

  public TrafficProfile profileOrDefault() {
    return profile == null ? TrafficProfile.NONE : profile;
  }

  public Arrivals arrivalsOrDefault() {
    return arrivals == null ? Arrivals.POISSON : arrivals;
  }
}
