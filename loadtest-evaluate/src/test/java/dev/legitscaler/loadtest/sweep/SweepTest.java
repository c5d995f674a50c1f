package dev.legitscaler.loadtest.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.legitscaler.loadtest.evaluate.EvaluateCommand;
import dev.legitscaler.loadtest.evaluate.EvaluationSettings;
import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.ScaledObjectReader;
import dev.legitscaler.loadtest.report.SweepReport;
import dev.legitscaler.loadtest.scenario.Scenario;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny sweep through the real evaluation (the scaler's scorer and decision, the HPA emulator, the shipped
 * ScaledObject): an 80 % crowd of strangers, the indistinguishable botnet and one that differs in its
 * networks, at the same share and the population's per-client rate.
 */
class SweepTest {
  private static final SurgeKind INDISTINGUISHABLE = new SurgeKind.Botnet(DifferingDimension.NONE, 1.0);
  private static final SurgeKind FEW_NETWORKS = new SurgeKind.Botnet(DifferingDimension.NETWORKS, 1.0);

  private static Sweep.Result result;

  @BeforeAll
  static void runTinySweep() throws InterruptedException {
    SweepFamily family = new SweepFamily(List.of(0.8), List.of(1.0), List.of(Novelty.NEW),
        List.of(DifferingDimension.NONE, DifferingDimension.NETWORKS), true, 1400, Duration.ofMinutes(5),
        Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(3));
    ScaledObject so = ScaledObjectReader.read(EvaluateCommand.locate("", Scenario.DEFAULT_SCALED_OBJECT));
    result = Sweep.run(family, so, EvaluationSettings.defaults(), 2);
  }

  private static ClassRow row(String className) {
    return result.classes().stream().filter(r -> r.className().equals(className)).findFirst().orElseThrow();
  }

  @Test
  void theFamilyIsTheCrossProductOfItsAxes() {
    SweepFamily standard = SweepFamily.standard(1);
    assertThat(standard.cells()).hasSize(2 * 2 + 2 * 3 * 2 * 5);
    assertThat(standard.cells()).extracting(SweepCell::name).doesNotHaveDuplicates();
    // the scenarios are what the cells say: an 80 % surge is 4 x the baseline on top of it
    Scenario s = standard.scenario(new SweepCell(new SurgeKind.Botnet(DifferingDimension.TIMING, 10.0), 0.8,
        Novelty.MIXED, 7));
    assertThat(s.attacks()).hasSize(2);
    double attackRate = s.attacks().stream().mapToDouble(a -> a.sources() * a.ratePerSource()).sum();
    assertThat(attackRate).isCloseTo(4 * s.legitimate().rate(), org.assertj.core.data.Offset.offset(3.0));
    assertThat(s.attacks().get(0).ratePerSource()).isCloseTo(10 * 0.3, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aBotnetFromFewNetworksIsDetectedAndCostsLittle() {
    ClassRow r = row(FEW_NETWORKS.className());
    assertThat(r.detectionRate()).as("%s", r).isEqualTo(1.0);
    assertThat(r.medianDetectionSeconds()).isNotNull().isLessThanOrEqualTo(60.0);
    assertThat(r.naiveWasted()).isGreaterThan(1.0);
    assertThat(r.wastedRatio()).as("%s", r).isLessThanOrEqualTo(0.25);
  }

  @Test
  void theCrowdOfStrangersIsLeftAlone() {
    ClassRow r = row(new SurgeKind.Crowd().className());
    assertThat(r.windows()).as("crowd-phase windows").isGreaterThanOrEqualTo(50);
    assertThat(r.falsePositiveRate()).as("%s", r).isLessThanOrEqualTo(0.01);
  }

  @Test
  void theIndistinguishableBotnetIsNotDetectedAndCostsWhatNaiveCosts() {
    ClassRow r = row(INDISTINGUISHABLE.className());
    assertThat(r.detectionRate()).as("%s", r).isEqualTo(0.0);
    assertThat(r.naiveWasted()).isGreaterThan(1.0);
    assertThat(r.wastedRatio()).as("%s", r).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void writesSweepJsonAndAWellFormedReport(@TempDir Path dir) throws Exception {
    SweepOutput.write(dir, result, "manifests/examples/scaledobject.yaml");
    Path report = SweepReport.write(dir);
    JsonNode doc = new ObjectMapper().readTree(dir.resolve(SweepOutput.FILE).toFile());
    assertThat(doc.path("classes")).hasSize(3);
    assertThat(doc.path("cells")).hasSize(3);
    assertThat(doc.path("classes").get(2).path("detectionRate").asDouble())
        .isEqualTo(row(FEW_NETWORKS.className()).detectionRate());
    String html = Files.readString(report);
    // well-formed XML, like the run report, and the table has one row per class
    org.w3c.dom.Document parsed = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new org.xml.sax.InputSource(new java.io.StringReader(html.replace("<!DOCTYPE html>", ""))));
    assertThat(parsed.getElementsByTagName("svg").getLength()).isEqualTo(1);
    assertThat(html).contains(INDISTINGUISHABLE.className(), "id=\"indistinguishable\"");
    StringWriter printed = new StringWriter();
    SweepOutput.print(new PrintWriter(printed), result);
    // the class table (header + 3 classes), a blank line, the margins (header, novelty new, attack share 80 %)
    assertThat(printed.toString().lines()).hasSize(8);
    assertThat(result.byNovelty()).extracting(ClassRow::cells).containsExactly(1);
  }
}
