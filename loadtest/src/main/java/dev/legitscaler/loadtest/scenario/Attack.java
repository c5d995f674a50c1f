package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * One attack: {@code sources} clients each sending {@code ratePerSource} requests per second between
 * {@code start} and {@code end}, shaped by {@code pattern}.
 *
 * @param identity whether the sources are never-seen ({@code new}) or reuse known client identities
 * @param rampUp time over which the attack grows linearly to full rate (bots joining)
 */
public record Attack(
    @JsonProperty("name") String name,
    @JsonProperty("start") Duration start,
    @JsonProperty("end") Duration end,
    @JsonProperty("sources") Integer sources,
    @JsonProperty("ratePerSource") Double ratePerSource,
    @JsonProperty("pattern") AttackPattern pattern,
    @JsonProperty("invalidShare") Double invalidShare,
    @JsonProperty("identity") SourceIdentity identity,
    @JsonProperty("rampUp") Duration rampUp) {

  public AttackPattern patternOrDefault() {
    return pattern == null ? new AttackPattern.Constant() : pattern;
  }

  public double invalidShareOrDefault() {
    return invalidShare == null ? 0.0 : invalidShare;
  }

  public SourceIdentity identityOrDefault() {
    return identity == null ? SourceIdentity.NEW : identity;
  }

  public Duration rampUpOrDefault() {
    return rampUp == null ? Duration.ZERO : rampUp;
  }
}
