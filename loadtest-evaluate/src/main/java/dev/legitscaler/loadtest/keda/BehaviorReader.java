package dev.legitscaler.loadtest.keda;

import com.fasterxml.jackson.databind.JsonNode;
import dev.legitscaler.loadtest.hpa.Behavior;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.hpa.ScalingPolicy;
import dev.legitscaler.loadtest.hpa.ScalingRules;
import dev.legitscaler.loadtest.hpa.SelectPolicy;
import dev.legitscaler.loadtest.input.Fields;
import dev.legitscaler.loadtest.input.InputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an autoscaling/v2 {@code behavior} object (the same shape in an HPA and in a ScaledObject's
 * {@code advanced.horizontalPodAutoscalerConfig.behavior}) and fills unset fields with upstream's
 * defaults, field by field.
 */
public final class BehaviorReader {
  private static final Set<String> BEHAVIOR_KEYS = Set.of("scaleUp", "scaleDown");
  private static final Set<String> RULES_KEYS = Set.of("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance");
  private static final String TOLERANCE = "a non-negative quantity (number or string such as 0.05, \"50m\"; Kubernetes >= 1.33)";
  private static final Set<String> POLICY_KEYS = Set.of("type", "value", "periodSeconds");

  private BehaviorReader() {}

  public static Behavior read(Fields behavior, int controllerDownscaleSeconds) {
    behavior.allowOnly(BEHAVIOR_KEYS);
    ScalingRules up = rules(behavior, "scaleUp", ScalingRules.defaultScaleUp());
    ScalingRules down = rules(behavior, "scaleDown", ScalingRules.defaultScaleDown(controllerDownscaleSeconds));
    return new Behavior(up, down);
  }

  private static ScalingRules rules(Fields behavior, String key, ScalingRules defaults) {
    if (!behavior.has(key)) {
      return defaults;
    }
    Fields r = behavior.obj(key).allowOnly(RULES_KEYS);
    Integer window = r.optInteger("stabilizationWindowSeconds", 0, 3600).orElse(null);
    SelectPolicy select = r.optString("selectPolicy").map(s -> {
      try {
        return SelectPolicy.parse(s);
      } catch (IllegalArgumentException e) {
        throw new InputException(r.at("selectPolicy") + ": " + e.getMessage());
      }
    }).orElse(null);
    List<ScalingPolicy> policies = null;
    if (r.has("policies")) {
      policies = new ArrayList<>();
      List<Fields> items = r.objects("policies");
      if (items.isEmpty()) {
        throw new InputException(r.at("policies") + ": at least one policy must be specified (or leave the field out for the defaults)");
      }
      for (Fields p : items) {
        p.allowOnly(POLICY_KEYS);
        String type = p.string("type");
        int value = p.integer("value", 1, Integer.MAX_VALUE);
        int period = p.integer("periodSeconds", 1, 1800);
        policies.add(switch (type) {
          case "Pods" -> new ScalingPolicy.Pods(value, period);
          case "Percent" -> new ScalingPolicy.Percent(value, period);
          default -> throw new InputException(p.at("type") + ": expected Pods or Percent, got \"" + type + "\"");
        });
      }
    }
    return ScalingRules.merge(window, select, policies, tolerance(r), defaults);
  }

  /** {@code tolerance}: a Quantity upstream, read as the controller reads it ({@link Quantities#approximateFloat64}). */
  private static Optional<Double> tolerance(Fields r) {
    if (!r.has("tolerance")) {
      return Optional.empty();
    }
    JsonNode v = r.node().get("tolerance");
    BigDecimal d;
    try {
      d = v.isTextual() ? Quantities.parseDecimal(v.textValue()) : Fields.decimal(v, r.at("tolerance"), TOLERANCE);
    } catch (IllegalArgumentException e) {
      throw new InputException(r.at("tolerance") + ": expected " + TOLERANCE + ", got " + Fields.describe(v));
    }
    if (d.signum() < 0) {
      throw new InputException(r.at("tolerance") + ": must be non-negative, got " + Fields.describe(v));
    }
    return Optional.of(Quantities.approximateFloat64(d));
  }
}
