package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * One attack: {@code sources} clients each sending {@code ratePerSource} requests per second between
 * {@code start} and {@code end}, shaped by {@code pattern}.
 *
 * @param identity whether the sources are never-seen ({@code new}) or reuse known client identities
 * @param rampUp time over which the attack grows linearly to full rate
 * @param rampUpForm how it grows: each source's rate ramping ({@code rate}, default) or sources joining
 *     linearly at full rate ({@code join})
 * @param profile networks, attributes, timing and payloads of the sources (optional)
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
    @JsonProperty("rampUp") Duration rampUp,
    @JsonProperty("rampUpForm") RampUpForm rampUpForm,
    @JsonProperty("profile") TrafficProfile profile) {

  public AttackPattern patternOrDefault() {
    return pattern == null ? new AttackPattern.Constant() : pattern;
  }

  public double invalidShareOrDefault() {
    return invalidShare == null ? 0.0 : invalidShare;
  }

  public SourceIdentity identityOrDefault() {
    return identity == null ? SourceIdentity.NEW : identity;
  }

  public RampUpForm rampUpFormOrDefault() {
    return rampUpForm == null ? RampUpForm.RATE : rampUpForm;
  }

  public TrafficProfile profileOrDefault() {
    return profile == null ? TrafficProfile.NONE : profile;
  }

  public Duration rampUpOrDefault() {
    return rampUp == null ? Duration.ZERO : rampUp;
  }
}
