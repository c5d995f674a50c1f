package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesNamesTest {
  // the forms Kubernetes documents (RFC 1123 label and subdomain), as regular expressions
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "ml|true|true", "a|true|true", "team-a|true|true", "fraud-model.v2|false|true", "x-1.y-2|false|true",
      "-a|false|false", "a-|false|false", "a..b|false|false", ".a|false|false", "a.|false|false", "ML|false|false",
      "model_1|false|false", "a.-b|false|false", "0|true|true", "''|false|false"})
  void namespacesAreLabelsAndNamesAreSubdomains(String s, boolean namespace, boolean name) {
    String value = s.equals("''") ? "" : s;
    assertThat(KubernetesNames.isNamespace(value)).isEqualTo(namespace);
    assertThat(KubernetesNames.isName(value)).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({"63,true", "64,false"})
  void aNamespaceHasAtMost63Characters(int length, boolean accepted) {
    assertThat(KubernetesNames.isNamespace("n".repeat(length))).isEqualTo(accepted);
  }

  @ParameterizedTest
  @CsvSource({"253,true", "254,false"})
  void aNameHasAtMost253Characters(int length, boolean accepted) {
    assertThat(KubernetesNames.isName("m".repeat(length))).isEqualTo(accepted);
  }

  @Property(tries = 2000)
  void agreesWithTheDocumentedForms(@ForAll("nameLike") String s) {
    assertThat(KubernetesNames.isNamespace(s)).as(s).isEqualTo(LABEL.matcher(s).matches());
    assertThat(KubernetesNames.isName(s)).as(s).isEqualTo(SUBDOMAIN.matcher(s).matches());
  }

  /** Mostly valid characters, so that valid and nearly valid names both come up often. */
  @Provide
  Arbitrary<String> nameLike() {
    return Arbitraries.strings().withChars("ab09-.").withChars('A', '_', '\n', 'é').ofMinLength(0).ofMaxLength(70)
        .injectDuplicates(0.05);
  }
}
