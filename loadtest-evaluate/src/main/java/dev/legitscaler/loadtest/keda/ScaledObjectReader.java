package dev.legitscaler.loadtest.keda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.legitscaler.loadtest.hpa.Behavior;
import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.input.Fields;
import dev.legitscaler.loadtest.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a keda.sh/v1alpha1 ScaledObject manifest (the YAML a cluster gets; other documents in the same
 * file, e.g. a TriggerAuthentication, are skipped). Unknown fields are rejected as the CRD schema does,
 * and the cross-field rules KEDA's webhook checks (min ≤ max, fallback only with AverageValue) are
 * checked here too, so a manifest that works here would be admitted by a cluster.
 */
public final class ScaledObjectReader {
  public static final String API_VERSION = "keda.sh/v1alpha1";
  private static final Set<String> SPEC_KEYS = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
      "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "advanced", "triggers", "fallback");
  private static final Set<String> TARGET_KEYS = Set.of("apiVersion", "kind", "name", "envSourceContainerName");
  private static final Set<String> FALLBACK_KEYS = Set.of("failureThreshold", "replicas", "behavior");
  private static final Set<String> ADVANCED_KEYS = Set.of("horizontalPodAutoscalerConfig", "restoreToOriginalReplicaCount", "scalingModifiers");
  private static final Set<String> HPA_CONFIG_KEYS = Set.of("name", "behavior");
  private static final Set<String> TRIGGER_KEYS = Set.of("type", "name", "metadata", "metricType", "useCachedMetrics", "authenticationRef");
  private static final Set<String> SUPPORTED_TRIGGERS = Set.of("external", "external-push");

  private ScaledObjectReader() {}

  public static ScaledObject read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InputException(file + ": no such file (the ScaledObject manifest)", e);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read the ScaledObject manifest (" + e.getMessage() + ")", e);
    }
    return parse(text, file.toString());
  }

  public static ScaledObject parse(String yaml, String source) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode d = it.next();
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          docs.add(d);
        }
      }
    } catch (JsonProcessingException e) {
      throw new InputException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new InputException(source + ": not valid YAML: " + e.getMessage(), e);
    }
    for (JsonNode d : docs) {
      if (d.isObject() && "ScaledObject".equals(d.path("kind").asText())) {
        try {
          return parse(Fields.root(d, source));
        } catch (InputException e) {
          throw new InputException(source + ": " + e.getMessage(), e);
        }
      }
    }
    throw new InputException(source + ": no document with kind: ScaledObject (expected apiVersion: " + API_VERSION + ", kind: ScaledObject)");
  }

  static ScaledObject parse(Fields so) {
    String apiVersion = so.optString("apiVersion").orElse("");
    if (!API_VERSION.equals(apiVersion)) {
      throw new InputException("apiVersion: expected " + API_VERSION + ", got \"" + apiVersion + "\"");
    }
    Fields meta = so.optObj("metadata").orElseThrow(() -> new InputException("metadata: required; expected an object with name"));
    String name = meta.string("name");
    String namespace = meta.optString("namespace").orElse("default");
    Fields spec = so.obj("spec").allowOnly(SPEC_KEYS);
    String targetName = spec.obj("scaleTargetRef").allowOnly(TARGET_KEYS).string("name");
    int min = spec.integer("minReplicaCount", 0, Integer.MAX_VALUE, 0);
    int max = spec.integer("maxReplicaCount", 1, Integer.MAX_VALUE, ScaledObject.DEFAULT_MAX_REPLICAS);
    if (min > max) {
      throw new InputException(spec.at("minReplicaCount") + ": must be ≤ maxReplicaCount (" + max + "), got " + min);
    }
    int polling = spec.integer("pollingInterval", 1, Integer.MAX_VALUE, ScaledObject.DEFAULT_POLLING_INTERVAL);
    int cooldown = spec.integer("cooldownPeriod", 0, Integer.MAX_VALUE, ScaledObject.DEFAULT_COOLDOWN_PERIOD);
    spec.optInteger("initialCooldownPeriod", 0, Integer.MAX_VALUE);
    spec.optInteger("idleReplicaCount", 0, Integer.MAX_VALUE).ifPresent(idle -> {
      if (idle >= min) {
        throw new InputException(spec.at("idleReplicaCount") + ": must be < minReplicaCount (" + min + "), got " + idle);
      }
    });

    Optional<Fallback> fallback = spec.optObj("fallback").map(f -> {
      f.allowOnly(FALLBACK_KEYS);
      FallbackBehavior behavior = f.optString("behavior").map(s -> {
        try {
          return FallbackBehavior.parse(s);
        } catch (IllegalArgumentException e) {
          throw new InputException(f.at("behavior") + ": " + e.getMessage());
        }
      }).orElse(FallbackBehavior.STATIC);
      return new Fallback(f.integer("failureThreshold", 0, Integer.MAX_VALUE), f.integer("replicas", 0, Integer.MAX_VALUE), behavior);
    });

    Optional<Behavior> behavior = Optional.empty();
    Optional<Fields> advanced = spec.optObj("advanced");
    if (advanced.isPresent()) {
      Fields adv = advanced.get().allowOnly(ADVANCED_KEYS);
      adv.optBoolean("restoreToOriginalReplicaCount");
      if (adv.has("scalingModifiers")) {
        throw new InputException(adv.at("scalingModifiers") + ": not supported by the emulator (it combines triggers by a formula); remove it and combine metrics in the scaler");
      }
      Optional<Fields> hpaConfig = adv.optObj("horizontalPodAutoscalerConfig");
      if (hpaConfig.isPresent()) {
        Fields hc = hpaConfig.get().allowOnly(HPA_CONFIG_KEYS);
        hc.optString("name");
        behavior = hc.optObj("behavior").map(b -> BehaviorReader.read(b, ControllerConfig.DEFAULT_DOWNSCALE_STABILIZATION_SECONDS));
      }
    }

    List<Fields> items = spec.objects("triggers");
    if (items.isEmpty()) {
      throw new InputException(spec.at("triggers") + ": at least one trigger is required");
    }
    List<Trigger> triggers = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Fields t = items.get(i).allowOnly(TRIGGER_KEYS);
      String type = t.string("type");
      if (!SUPPORTED_TRIGGERS.contains(type)) {
        throw new InputException(t.at("type") + ": the emulator calls external scalers only; expected external or external-push, got \"" + type + "\"");
      }
      Map<String, String> metadata = t.stringMap("metadata");
      if (metadata.getOrDefault("scalerAddress", "").isBlank()) {
        throw new InputException(t.at("metadata") + ".scalerAddress: required for an " + type + " trigger; expected host:port of the scaler's gRPC server");
      }
      String metricType = t.optString("metricType").orElse("AverageValue");
      if (!metricType.equals("AverageValue") && !metricType.equals("Value")) {
        throw new InputException(t.at("metricType") + ": expected AverageValue or Value for an external trigger, got \"" + metricType + "\"");
      }
      boolean value = metricType.equals("Value");
      if (value && fallback.isPresent()) {
        // KEDA's admission webhook rejects this combination; its operator would also ignore the fallback
        throw new InputException(t.at("metricType") + ": fallback is only supported for triggers with metricType AverageValue, got Value");
      }
      t.optBoolean("useCachedMetrics");
      t.optObj("authenticationRef");
      triggers.add(new Trigger(i, type, t.optString("name").orElse(""), value, metadata));
    }
    return new ScaledObject(name, namespace, targetName, min, max, polling, cooldown, fallback, behavior, triggers);
  }
}
