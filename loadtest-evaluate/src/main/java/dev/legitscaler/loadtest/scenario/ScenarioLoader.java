package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a scenario file: strict YAML binding (unknown keys and wrong types fail), then semantic
 * validation. Every problem is reported as {@code file:line:column: path: problem; accepted: form} before
 * anything starts.
 */
public final class ScenarioLoader {

  /** Names of the scenarios bundled in the jar (loadtest/scenarios/ in the source tree). */
  public static final List<String> BUILT_IN = List.of(
      "steady", "ramp-to-saturation", "flash-crowd-3x", "flash-crowd-5x", "few-source-flood", "botnet",
      "pulsing-attack", "attack-during-flash-crowd", "demo",
      "mimicry-botnet-few-networks", "mimicry-botnet-shifted-payloads", "slow-ramp-joining-sources",
      "news-crowd-strangers", "attack-in-stranger-crowd");

  private static final Map<Class<?>, String> ACCEPTED_KINDS = Map.of(
      Phase.class, "kind: steady | ramp | step | flashCrowd",
      AttackPattern.class, "kind: constant | pulsing",
      RateDistribution.class, "distribution: constant | lognormal | pareto",
      Timing.class, "kind: poisson | periodic",
      PayloadShape.class, "kind: reference | shifted | replayed | random");

  private final ObjectMapper mapper;

  public ScenarioLoader() {
    SimpleModule durations = new SimpleModule("scenario-durations");
    durations.addDeserializer(Duration.class, new ScenarioDurations.Deserializer());
    mapper = JsonMapper.builder(new YAMLFactory())
        .addModule(durations)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
  }

  /** Loads a file, or a built-in scenario when {@code pathOrName} is one of {@link #BUILT_IN}. */
  public Scenario load(String pathOrName) {
    Path path = Path.of(pathOrName);
    if (!Files.exists(path) && BUILT_IN.contains(pathOrName)) {
      return loadBuiltIn(pathOrName);
    }
    return load(path);
  }

  public Scenario load(Path path) {
    try {
      return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ScenarioException(List.of(path + ": no such file (built-in scenarios: "
          + String.join(", ", BUILT_IN) + ")"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Scenario loadBuiltIn(String name) {
    String resource = "/scenarios/" + name + ".yaml";
    try (InputStream in = ScenarioLoader.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ScenarioException(List.of(name + ": no built-in scenario of that name (built-in: "
            + String.join(", ", BUILT_IN) + ")"));
      }
      return parse("scenarios/" + name + ".yaml", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses and validates scenario text; {@code source} names it in error messages. */
  public Scenario parse(String source, String yaml) {
    Scenario scenario;
    try {
      scenario = mapper.readValue(yaml, Scenario.class);
    } catch (JsonProcessingException e) {
      throw new ScenarioException(List.of(describe(source, yaml, e)));
    }
    if (scenario == null) {
      throw new ScenarioException(List.of(source + ":1:1: the file is empty; accepted: a scenario map "
          + "(see docs/scenarios.md)"));
    }
    List<ScenarioValidator.Violation> violations = ScenarioValidator.validate(scenario);
    if (!violations.isEmpty()) {
      SourceLocations locations = SourceLocations.scan(yaml);
      List<String> problems = new ArrayList<>();
      for (ScenarioValidator.Violation v : violations) {
        SourceLocations.Position at = locations.find(v.pointer());
        problems.add(source + ":" + at.line() + ":" + at.column() + ": " + dotted(v.pointer()) + ": " + v.problem()
            + "; accepted: " + v.accepted());
      }
      throw new ScenarioException(problems);
    }
    return scenario;
  }

  private static String describe(String source, String yaml, JsonProcessingException e) {
    JsonLocation loc = e.getLocation();
    String where = source + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr()) + ": ";
    if (!(e instanceof JsonMappingException m)) {
      return where + "not valid YAML: " + e.getOriginalMessage() + "; accepted: a YAML map (see docs/scenarios.md)";
    }
    if (!m.getPath().isEmpty()) {
      // records are built once all their keys are read, so Jackson's own location can be the end of the
      // enclosing map: point at the offending key instead
      SourceLocations.Position at = SourceLocations.scan(yaml).find(pointer(m.getPath()));
      where = source + ":" + at.line() + ":" + at.column() + ": ";
    }
    String path = path(m.getPath());
    if (e instanceof PropertyBindingException p) {
      String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
      return where + (parent.isEmpty() ? "" : parent + ": ") + "unknown key '" + p.getPropertyName() + "'; accepted keys: "
          + known(p.getKnownPropertyIds());
    }
    if (e instanceof InvalidTypeIdException t) {
      Class<?> base = t.getBaseType() == null ? null : t.getBaseType().getRawClass();
      String accepted = ACCEPTED_KINDS.getOrDefault(base, "see docs/scenarios.md");
      String id = t.getTypeId();
      return where + path + ": " + (id == null ? "missing kind" : "unknown kind '" + id + "'") + "; accepted: "
          + accepted;
    }
    if (e instanceof InvalidFormatException f) {
      return where + path + ": '" + f.getValue() + "' is not " + expected(f.getTargetType()) + "; accepted: "
          + expected(f.getTargetType());
    }
    if (e instanceof MismatchedInputException mi) {
      return where + path + ": wrong type; accepted: " + expected(mi.getTargetType());
    }
    return where + path + ": " + e.getOriginalMessage();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "see docs/scenarios.md";
    }
    if (type == Duration.class) {
      return ScenarioDurations.ACCEPTED_FORM;
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants())
          .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    return "a map (see docs/scenarios.md)";
  }

  private static String known(Collection<Object> ids) {
    TreeSet<String> names = new TreeSet<>();
    if (ids != null) {
      ids.forEach(id -> names.add(id.toString()));
    }
    return String.join(", ", names);
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.length() == 0 ? "(top level)" : sb.toString();
  }

  private static String pointer(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        sb.append('/').append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (r.getIndex() >= 0) {
        sb.append('/').append(r.getIndex());
      }
    }
    return sb.toString();
  }

  private static String dotted(String pointer) {
    if (pointer.isEmpty()) {
      return "(top level)";
    }
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.substring(1).split("/")) {
      if (part.matches("\\d+")) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(part);
      }
    }
    return sb.toString();
  }
}
