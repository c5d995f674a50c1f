package dev.legitscaler.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SvgLineChartTest {

  private static Document parse(String svg) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void stepSeriesThresholdsAndEscapedLabels() throws Exception {
    double[] x = {0, 1, 2, 3};
    String svg = new SvgLineChart("a < b & c", "t", "y")
        .add(new SvgLineChart.Series("s<1>", "#000000", x, new double[] {4, 4, 5, 5}, true, false))
        .threshold(6, "max 6", "#777777")
        .band(1, 2, "band", "#ff0000")
        .render();
    Document doc = parse(svg);
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
    assertThat(doc.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue())
        .startsWith("M").contains(" H", " V").doesNotContain(" L");
    assertThat(svg).contains("a &lt; b &amp; c", "s&lt;1&gt;", "max 6");
  }

  @Test
  void nanBreaksTheLine() throws Exception {
    String svg = new SvgLineChart("t", "x", "y")
        .line("s", "#000000", new double[] {0, 1, 2, 3, 4}, new double[] {1, 2, Double.NaN, 2, 1})
        .render();
    String d = parse(svg).getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue();
    assertThat(d.chars().filter(c -> c == 'M').count()).isEqualTo(2);
  }

  @Test
  void noFiniteSampleMeansNoData() throws Exception {
    SvgLineChart c = new SvgLineChart("t", "x", "y").line("s", "#000000", new double[] {0, 1}, new double[] {Double.NaN, Double.NaN});
    assertThat(c.hasData()).isFalse();
    Document doc = parse(c.render());
    assertThat(doc.getDocumentElement().getTextContent()).contains("no data");
    assertThat(doc.getElementsByTagName("path").getLength()).isZero();
  }

  @Test
  void niceTicks() {
    SvgLineChart.Ticks t = SvgLineChart.Ticks.of(0, 0.93, 5);
    assertThat(t.step()).isEqualTo(0.2);
    assertThat(t.values()).hasSize(6);
    assertThat(t.label(t.values().get(3))).isEqualTo("0.6");
    assertThat(SvgLineChart.Ticks.of(0, 180, 8).step()).isEqualTo(50);
  }
}
