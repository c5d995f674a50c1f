package dev.legitscaler.loadtest.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A prometheus.yml for the local platform, built as a tree and written by Jackson (no hand-quoted
 * YAML): global scrape/evaluation interval, rule files, scrape jobs and the Alertmanagers to notify.
 *
 * @param interval scrape and rule evaluation interval
 * @param ruleFiles rule files to load (absolute paths are written)
 * @param jobs the scrape jobs
 * @param alertmanagers host:port of each Alertmanager (v2 API); empty: no alerting section
 */
public record PrometheusConfig(Duration interval, List<Path> ruleFiles, List<ScrapeJob> jobs, List<String> alertmanagers) {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  public PrometheusConfig {
    ruleFiles = List.copyOf(ruleFiles);
    jobs = List.copyOf(jobs);
    alertmanagers = List.copyOf(alertmanagers);
  }

  /**
   * One scrape job: static targets or a file_sd file (re-read every second, as the platform's replicas
   * come and go).
   *
   * @param honorLabels keep the target's own labels (exporters that name model replicas or carry a
   *     namespace label, docs/metrics.md)
   * @param interval this job's scrape interval, or empty for the global one
   */
  public record ScrapeJob(String name, boolean honorLabels, Optional<Duration> interval, List<String> staticTargets,
      Optional<Path> fileSd) {
    public ScrapeJob {
      staticTargets = List.copyOf(staticTargets);
    }

    public static ScrapeJob fixed(String name, boolean honorLabels, List<String> targets) {
      return new ScrapeJob(name, honorLabels, Optional.empty(), targets, Optional.empty());
    }

    public static ScrapeJob discovered(String name, boolean honorLabels, Path file) {
      return new ScrapeJob(name, honorLabels, Optional.empty(), List.of(), Optional.of(file));
    }

    public ScrapeJob every(Duration d) {
      return new ScrapeJob(name, honorLabels, Optional.of(d), staticTargets, fileSd);
    }
  }

  /** The configuration file's text. */
  public String yaml() {
    ObjectNode root = YAML.createObjectNode();
    ObjectNode global = root.putObject("global");
    global.put("scrape_interval", millis(interval));
    global.put("evaluation_interval", millis(interval));
    if (!ruleFiles.isEmpty()) {
      ArrayNode rules = root.putArray("rule_files");
      ruleFiles.forEach(r -> rules.add(r.toAbsolutePath().toString()));
    }
    ArrayNode scrape = root.putArray("scrape_configs");
    for (ScrapeJob j : jobs) {
      ObjectNode job = scrape.addObject();
      job.put("job_name", j.name());
      j.interval().ifPresent(d -> job.put("scrape_interval", millis(d)));
      if (j.honorLabels()) {
        job.put("honor_labels", true);
      }
      if (!j.staticTargets().isEmpty()) {
        ArrayNode targets = job.putArray("static_configs").addObject().putArray("targets");
        j.staticTargets().forEach(targets::add);
      }
      j.fileSd().ifPresent(f -> {
        ObjectNode sd = job.putArray("file_sd_configs").addObject();
        sd.putArray("files").add(f.toAbsolutePath().toString());
        sd.put("refresh_interval", "1s");
      });
    }
    if (!alertmanagers.isEmpty()) {
      ObjectNode am = root.putObject("alerting").putArray("alertmanagers").addObject();
      am.put("api_version", "v2");
      ArrayNode targets = am.putArray("static_configs").addObject().putArray("targets");
      alertmanagers.forEach(targets::add);
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file_sd target file: one group per target, with its labels. */
  public static String fileSdJson(List<FileSdTarget> targets) {
    ArrayNode groups = new ObjectMapper().createArrayNode();
    for (FileSdTarget t : targets) {
      ObjectNode g = groups.addObject();
      g.putArray("targets").add(t.address());
      ObjectNode labels = g.putObject("labels");
      t.labels().forEach(labels::put);
    }
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(groups) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One entry of a file_sd file. */
  public record FileSdTarget(String address, java.util.Map<String, String> labels) {
    public FileSdTarget {
      labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
    }
  }

  private static String millis(Duration d) {
    return d.toMillis() + "ms";
  }
}
