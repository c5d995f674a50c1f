package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Duration;

/**
 * One phase of the legitimate load. Phases follow each other from time 0. The load is expressed as a
 * level: a multiple of the baseline rate; the run starts at level 1.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Phase.Steady.class, name = "steady"),
  @JsonSubTypes.Type(value = Phase.Ramp.class, name = "ramp"),
  @JsonSubTypes.Type(value = Phase.Step.class, name = "step"),
  @JsonSubTypes.Type(value = Phase.FlashCrowd.class, name = "flashCrowd"),
})
public sealed interface Phase {

  /** The name carried by every request of this phase; defaults to the kind. */
  String name();

  Duration duration();

  String kind();

  default String nameOrKind() {
    return name() == null ? kind() : name();
  }

  /** Holds the level reached so far. */
  record Steady(@JsonProperty("name") String name, @JsonProperty("duration") Duration duration) implements Phase {
    @Override
    public String kind() {
      return "steady";
    }
  }

  /** Changes the level linearly to {@code to} over the phase. */
  record Ramp(@JsonProperty("name") String name, @JsonProperty("duration") Duration duration,
      @JsonProperty("to") Double to) implements Phase {
    @Override
    public String kind() {
      return "ramp";
    }
  }

  /** Jumps to level {@code to} at the start of the phase and holds it. */
  record Step(@JsonProperty("name") String name, @JsonProperty("duration") Duration duration,
      @JsonProperty("to") Double to) implements Phase {
    @Override
    public String kind() {
      return "step";
    }
  }

  /**
   * A flash crowd: the level rises to {@code peak} × the level before the phase over {@code rampUp},
   * holds, and falls back over the last {@code rampDown} of the phase. {@code newClientShare} is the share
   * of the <em>extra</em> traffic sent by never-seen clients; the rest comes from known clients returning.
   */
  record FlashCrowd(@JsonProperty("name") String name, @JsonProperty("duration") Duration duration,
      @JsonProperty("peak") Double peak, @JsonProperty("rampUp") Duration rampUp,
      @JsonProperty("rampDown") Duration rampDown,
      @JsonProperty("newClientShare") Double newClientShare) implements Phase {
    @Override
    public String kind() {
      return "flashCrowd";
    }

    public Duration rampUpOrDefault() {
      return rampUp == null ? Duration.ZERO : rampUp;
    }

    public Duration rampDownOrDefault() {
      return rampDown == null ? Duration.ZERO : rampDown;
    }

    public double newClientShareOrDefault() {
      return newClientShare == null ? 0.5 : newClientShare;
    }
  }
}
