package dev.legitscaler.loadtest.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.legitscaler.loadtest.hpa.Behavior;
import dev.legitscaler.loadtest.hpa.ControllerConfig;
import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.HpaHistory;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricReading;
import dev.legitscaler.loadtest.hpa.MetricTarget;
import dev.legitscaler.loadtest.hpa.PodCounts;
import dev.legitscaler.loadtest.hpa.Quantities;
import dev.legitscaler.loadtest.hpa.Recommendation;
import dev.legitscaler.loadtest.hpa.ScaleEvent;
import dev.legitscaler.loadtest.hpa.Tolerance;
import dev.legitscaler.loadtest.hpa.ToleranceForm;
import dev.legitscaler.loadtest.input.Fields;
import dev.legitscaler.loadtest.input.InputException;
import dev.legitscaler.loadtest.keda.BehaviorReader;
import dev.legitscaler.loadtest.keda.HpaMapping;
import dev.legitscaler.loadtest.keda.MetricSpecAnswer;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads a replay file (format in docs/hpa-replay.md); every error names the field and the accepted form. */
public final class ReplayReader {
  /** t = 0 of every replay: fixed, so a replay is reproducible. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private static final Set<String> TOP_KEYS = Set.of("hpa", "scaledObject", "metricSpecs", "controller", "initial", "steps");
  private static final Set<String> HPA_KEYS = Set.of("minReplicas", "maxReplicas", "metrics", "behavior");
  private static final Set<String> HPA_METRIC_KEYS = Set.of("type", "external");
  private static final Set<String> EXTERNAL_KEYS = Set.of("metric", "target");
  private static final Set<String> TARGET_KEYS = Set.of("type", "averageValue", "value");
  private static final Set<String> METRIC_SPEC_KEYS = Set.of("trigger", "metricName", "targetSize", "targetSizeFloat");
  private static final Set<String> CONTROLLER_KEYS = Set.of("toleranceForm", "tolerance", "toleranceDown", "toleranceUp",
      "downscaleStabilizationSeconds", "syncPeriodSeconds");
  private static final Set<String> INITIAL_KEYS = Set.of("replicas", "statusReplicas", "pods", "readyPods", "recommendations",
      "scaleUpEvents", "scaleDownEvents");
  private static final Set<String> STEP_KEYS = Set.of("t", "metrics", "replicas", "statusReplicas", "pods", "readyPods");
  private static final String QUANTITY = "a number, a quantity string (\"8.6\", \"500m\"), a list of those (summed), or {\"error\": \"message\"}";

  private ReplayReader() {}

  public static ReplayInput read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InputException(file + ": no such file (the replay file)", e);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read the replay file (" + e + ")", e);
    }
    // relative, so that error messages show paths the way the user wrote them
    Path dir = file.getParent() == null ? Path.of("") : file.getParent();
    try {
      return parse(text, dir);
    } catch (InputException e) {
      throw new InputException(file + ": " + e.getMessage(), e);
    }
  }

  public static ReplayInput parse(String json, Path baseDir) {
    ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InputException("not valid JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
    }
    Fields top = Fields.root(root, "replay file").allowOnly(TOP_KEYS);
    ControllerConfig config = controller(top.optObj("controller"));

    HpaSpec spec;
    Optional<ScaledObject> so = Optional.empty();
    if (top.has("hpa") == top.has("scaledObject")) {
      throw new InputException("give exactly one of \"hpa\" (an autoscaling/v2 HPA spec) or \"scaledObject\" (path of a ScaledObject manifest, relative to the replay file)");
    }
    if (top.has("hpa")) {
      if (top.has("metricSpecs")) {
        throw new InputException("metricSpecs: only used with \"scaledObject\" (the HPA spec carries its own targets)");
      }
      spec = hpa(top.obj("hpa"), config);
    } else {
      Path manifest = baseDir.resolve(top.string("scaledObject"));
      ScaledObject parsed = ScaledObjectReader.read(manifest);
      so = Optional.of(parsed);
      spec = HpaMapping.toHpaSpec(parsed, metricSpecs(top, parsed));
    }
    if (config.toleranceForm() == ToleranceForm.SYMMETRIC_1_32 && spec.behavior().isPresent()
        && (spec.behavior().get().scaleUp().tolerance().isPresent() || spec.behavior().get().scaleDown().tolerance().isPresent())) {
      throw new InputException("behavior.scaleUp/scaleDown.tolerance: exists from Kubernetes 1.33 on; controller.toleranceForm is \"1.32\"."
          + " Use toleranceForm \"1.33\", or controller.tolerance for the flag");
    }
    ReplayInput.Initial initial = initial(top.obj("initial"), spec);
    List<ReplayInput.Step> steps = steps(top, spec);
    return new ReplayInput(spec, config, so.flatMap(ScaledObject::fallback), initial, steps, START);
  }

  private static ControllerConfig controller(Optional<Fields> c) {
    if (c.isEmpty()) {
      return ControllerConfig.defaults();
    }
    Fields f = c.get().allowOnly(CONTROLLER_KEYS);
    ToleranceForm form = f.optString("toleranceForm").map(s -> {
      try {
        return ToleranceForm.parse(s);
      } catch (IllegalArgumentException e) {
        throw new InputException(f.at("toleranceForm") + ": " + e.getMessage());
      }
    }).orElse(ToleranceForm.ASYMMETRIC_1_33);
    double tol = f.optDouble("tolerance", 0, 1).orElse(Tolerance.DEFAULT);
    double down = f.optDouble("toleranceDown", 0, 1).orElse(tol);
    double up = f.optDouble("toleranceUp", 0, Double.MAX_VALUE).orElse(tol);
    if (form == ToleranceForm.SYMMETRIC_1_32 && down != up) {
      throw new InputException(f.at("toleranceForm") + ": the 1.32 form has one tolerance; use \"tolerance\", or toleranceForm \"1.33\" for toleranceDown/toleranceUp");
    }
    int window = f.integer("downscaleStabilizationSeconds", 0, 3600, ControllerConfig.DEFAULT_DOWNSCALE_STABILIZATION_SECONDS);
    int sync = f.integer("syncPeriodSeconds", 1, 3600, 15);
    return new ControllerConfig(Duration.ofSeconds(sync), Duration.ofSeconds(window), form, down, up);
  }

  private static HpaSpec hpa(Fields h, ControllerConfig config) {
    h.allowOnly(HPA_KEYS);
    int min = h.integer("minReplicas", 0, Integer.MAX_VALUE, 1);
    int max = h.integer("maxReplicas", 1, Integer.MAX_VALUE);
    if (min > max) {
      throw new InputException(h.at("minReplicas") + ": must be ≤ maxReplicas (" + max + "), got " + min);
    }
    List<Fields> items = h.objects("metrics");
    if (items.isEmpty()) {
      throw new InputException(h.at("metrics") + ": at least one metric is required");
    }
    List<ExternalMetric> metrics = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (Fields m : items) {
      m.allowOnly(HPA_METRIC_KEYS);
      String type = m.string("type");
      if (!type.equals("External")) {
        throw new InputException(m.at("type") + ": only External metrics are replayed; expected \"External\", got \"" + type + "\"");
      }
      Fields ext = m.obj("external").allowOnly(EXTERNAL_KEYS);
      String name = ext.obj("metric").string("name");
      if (!names.add(name)) {
        throw new InputException(ext.at("metric.name") + ": duplicate metric name \"" + name + "\"");
      }
      Fields target = ext.obj("target").allowOnly(TARGET_KEYS);
      String ttype = target.string("type");
      MetricTarget t = switch (ttype) {
        case "AverageValue" -> new MetricTarget.AverageValue(positiveQuantity(target, "averageValue"));
        case "Value" -> new MetricTarget.Value(positiveQuantity(target, "value"));
        default -> throw new InputException(target.at("type") + ": expected AverageValue or Value, got \"" + ttype + "\"");
      };
      metrics.add(new ExternalMetric(name, t));
    }
    Optional<Behavior> behavior = h.optObj("behavior").map(b -> BehaviorReader.read(b, config.downscaleStabilizationSeconds()));
    return new HpaSpec(min, max, metrics, behavior);
  }

  private static long positiveQuantity(Fields f, String key) {
    if (!f.has(key)) {
      throw new InputException(f.at(key) + ": required; expected a positive quantity (number or string such as \"2.5\")");
    }
    long milli = quantity(f.node().get(key), f.at(key), "a positive quantity (number or string such as \"2.5\")");
    if (milli <= 0) {
      throw new InputException(f.at(key) + ": must be positive, got " + Quantities.format(milli));
    }
    return milli;
  }

  private static long quantity(JsonNode v, String path, String accepted) {
    try {
      if (v.isTextual()) {
        return Quantities.parseMilli(v.textValue());
      }
      BigDecimal d = Fields.decimal(v, path, accepted);
      return Quantities.toMilli(d);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InputException(path + ": expected " + accepted + ", got " + Fields.describe(v));
    }
  }

  private static Map<Integer, List<MetricSpecAnswer>> metricSpecs(Fields top, ScaledObject so) {
    List<Fields> items = top.optObjects("metricSpecs").orElseThrow(() -> new InputException(
        "metricSpecs: required with \"scaledObject\"; expected the scaler's GetMetricSpec answer per trigger, e.g. "
            + "[{\"trigger\": 0, \"metricName\": \"legit-scaler\", \"targetSize\": 1}]"));
    Map<Integer, List<MetricSpecAnswer>> out = new TreeMap<>();
    for (Fields m : items) {
      m.allowOnly(METRIC_SPEC_KEYS);
      int trigger = m.integer("trigger", 0, so.triggers().size() - 1, 0);
      String name = m.string("metricName");
      int size = m.integer("targetSize", 0, Integer.MAX_VALUE, 0);
      double sizeFloat = m.optDouble("targetSizeFloat", 0, Double.MAX_VALUE).orElse(0.0);
      if (size == 0 && sizeFloat == 0) {
        throw new InputException(m.path() + ": give a positive targetSize (integer) or targetSizeFloat (number)");
      }
      out.computeIfAbsent(trigger, k -> new ArrayList<>()).add(new MetricSpecAnswer(name, size, sizeFloat));
    }
    for (int i = 0; i < so.triggers().size(); i++) {
      if (!out.containsKey(i)) {
        throw new InputException("metricSpecs: no entry for trigger " + i + "; every trigger of the ScaledObject needs its GetMetricSpec answer");
      }
    }
    return out;
  }

  private static ReplayInput.Initial initial(Fields f, HpaSpec spec) {
    f.allowOnly(INITIAL_KEYS);
    int replicas = f.integer("replicas", 0, Integer.MAX_VALUE);
    int status = f.integer("statusReplicas", 0, Integer.MAX_VALUE, replicas);
    int pods = f.integer("pods", 0, Integer.MAX_VALUE, status);
    int ready = f.integer("readyPods", 0, pods, pods);
    Optional<List<Recommendation>> recs = f.optObjects("recommendations").map(items -> {
      List<Recommendation> out = new ArrayList<>();
      for (Fields r : items) {
        r.allowOnly(Set.of("replicas", "ageSeconds"));
        out.add(new Recommendation(r.integer("replicas", 0, Integer.MAX_VALUE), START.minusSeconds(r.seconds("ageSeconds", 0))));
      }
      return out;
    });
    List<ScaleEvent> up = events(f, "scaleUpEvents");
    List<ScaleEvent> down = events(f, "scaleDownEvents");
    if ((!up.isEmpty() || !down.isEmpty()) && spec.behavior().isEmpty()) {
      throw new InputException(f.at("scaleUpEvents") + ": scale events only matter with a behavior; the spec has none");
    }
    return new ReplayInput.Initial(replicas, status, new PodCounts(pods, ready), new HpaHistory(recs, up, down));
  }

  private static List<ScaleEvent> events(Fields f, String key) {
    List<ScaleEvent> out = new ArrayList<>();
    for (Fields e : f.optObjects(key).orElse(List.of())) {
      e.allowOnly(Set.of("change", "ageSeconds"));
      out.add(new ScaleEvent(e.integer("change", 1, Integer.MAX_VALUE), START.minusSeconds(e.seconds("ageSeconds", 0))));
    }
    return out;
  }

  private static List<ReplayInput.Step> steps(Fields top, HpaSpec spec) {
    List<Fields> items = top.objects("steps");
    if (items.isEmpty()) {
      throw new InputException("steps: at least one step is required; expected [{\"t\": 0, \"metrics\": {\"<name>\": <value>}}, ...]");
    }
    List<String> names = spec.metrics().stream().map(ExternalMetric::name).toList();
    List<ReplayInput.Step> out = new ArrayList<>();
    long lastT = -1;
    for (Fields s : items) {
      s.allowOnly(STEP_KEYS);
      long t = s.seconds("t", 0);
      if (t <= lastT) {
        throw new InputException(s.at("t") + ": steps must be in increasing time; got " + t + " after " + lastT);
      }
      lastT = t;
      Fields m = s.obj("metrics");
      m.allowOnly(Set.copyOf(names));
      Map<String, MetricReading> readings = new LinkedHashMap<>();
      for (String name : names) {
        if (!m.has(name)) {
          throw new InputException(m.at(name) + ": required; every step gives each metric of the spec " + names + " as " + QUANTITY);
        }
        readings.put(name, reading(m.node().get(name), m.at(name)));
      }
      Optional<Integer> pods = s.optInteger("pods", 0, Integer.MAX_VALUE);
      Optional<Integer> ready = s.optInteger("readyPods", 0, Integer.MAX_VALUE);
      if (pods.isPresent() && ready.isPresent() && ready.get() > pods.get()) {
        throw new InputException(s.at("readyPods") + ": must be ≤ pods (" + pods.get() + "), got " + ready.get());
      }
      out.add(new ReplayInput.Step(t, readings, s.optInteger("replicas", 0, Integer.MAX_VALUE),
          s.optInteger("statusReplicas", 0, Integer.MAX_VALUE), pods, ready));
    }
    return out;
  }

  private static MetricReading reading(JsonNode v, String path) {
    if (v.isObject()) {
      Fields e = new Fields(v, path).allowOnly(Set.of("error"));
      return new MetricReading.Failed(e.string("error"));
    }
    if (v.isArray()) {
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        values.add(quantity(v.get(i), path + "[" + i + "]", QUANTITY));
      }
      return new MetricReading.Values(values);
    }
    return MetricReading.Values.of(quantity(v, path, QUANTITY));
  }
}
