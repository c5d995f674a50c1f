package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;

/**
 * One load scenario as written in a scenario file (see docs/scenarios.md). Fields are nullable where the
 * file may omit them; {@link ScenarioValidator} checks required fields and ranges so that every problem
 * is reported with its file location, and the accessors below return the documented defaults.
 *
 * <p>All times are <em>scenario time</em>. {@code timeScale} compresses a live run uniformly: at time
 * scale k, scenario second s is played at wall second s / k, so rates in requests per wall second are k
 * times the scenario's, and the model's service time and the controllers' timings must shrink by k too.
 */
public record Scenario(
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("seed") Long seed,
    @JsonProperty("duration") Duration duration,
    @JsonProperty("timeScale") Double timeScale,
    @JsonProperty("legitimate") Legitimate legitimate,
    @JsonProperty("attacks") List<Attack> attacks,
    @JsonProperty("model") ModelCapacity model,
    @JsonProperty("scaledObject") String scaledObject,
    @JsonProperty("expectations") Expectations expectations) {

  public static final String DEFAULT_SCALED_OBJECT = "manifests/examples/scaledobject.yaml";

  public Scenario {
    attacks = attacks == null ? List.of() : List.copyOf(attacks);
  }

  public long seedOrDefault() {
    return seed == null ? 1L : seed;
  }

  public double timeScaleOrDefault() {
    return timeScale == null ? 1.0 : timeScale;
  }

  public String scaledObjectOrDefault() {
    return scaledObject == null ? DEFAULT_SCALED_OBJECT : scaledObject;
  }

  public ModelCapacity modelOrDefault() {
    return model == null ? new ModelCapacity(null, null) : model;
  }

  public Expectations expectationsOrDefault() {
    return expectations == null ? new Expectations(null, null, null, null, null, null) : expectations;
  }

  /** Wall-clock length of a live run at the scenario's own time scale. */
  public Duration wallDuration() {
    return Duration.ofNanos(Math.round(duration.toNanos() / timeScaleOrDefault()));
  }

  /** A copy with another duration (the generator's {@code --duration} override). */
  public Scenario withDuration(Duration newDuration) {
    return new Scenario(name, description, seed, newDuration, timeScale, legitimate, attacks, model, scaledObject,
        expectations);
  }

  /** A copy with another seed. */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, newSeed, duration, timeScale, legitimate, attacks, model, scaledObject,
        expectations);
  }

  /** A copy with another time scale. */
  public Scenario withTimeScale(double newTimeScale) {
    return new Scenario(name, description, seed, duration, newTimeScale, legitimate, attacks, model, scaledObject,
        expectations);
  }
}
