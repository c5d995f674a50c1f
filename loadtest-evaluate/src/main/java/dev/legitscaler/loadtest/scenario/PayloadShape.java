package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the model's input features of a population's valid requests look like, against the reference
 * distribution the model was trained on (each feature uniform in [-1, 1], see RequestPayload).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PayloadShape.Reference.class, name = "reference"),
  @JsonSubTypes.Type(value = PayloadShape.Shifted.class, name = "shifted"),
  @JsonSubTypes.Type(value = PayloadShape.Replayed.class, name = "replayed"),
  @JsonSubTypes.Type(value = PayloadShape.Random.class, name = "random"),
})
public sealed interface PayloadShape {

  /** The reference distribution. */
  record Reference() implements PayloadShape {}

  /** The reference distribution moved by {@code shift} on every feature (synthetic requests). */
  record Shifted(@JsonProperty("shift") Double shift) implements PayloadShape {}

  /** Replayed: every request is one of {@code set} captured reference requests. */
  record Replayed(@JsonProperty("set") Integer set) implements PayloadShape {}

  /** Random valid numbers, uniform in [-5, 5]: a fuzzer's payloads, not the model's inputs. */
  record Random() implements PayloadShape {}
}
