package dev.legitscaler.loadtest.keda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.legitscaler.loadtest.hpa.ExternalMetric;
import dev.legitscaler.loadtest.hpa.HpaSpec;
import dev.legitscaler.loadtest.hpa.MetricTarget;
import dev.legitscaler.loadtest.hpa.ScalingPolicy;
import dev.legitscaler.loadtest.hpa.ScalingRules;
import dev.legitscaler.loadtest.hpa.SelectPolicy;
import dev.legitscaler.loadtest.input.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaledObjectReaderTest {
  static final String MINIMAL = """
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: {name: so}
      spec:
        scaleTargetRef: {name: model}
        triggers:
          - type: external
            metadata: {scalerAddress: "127.0.0.1:9090"}
      """;

  @Test
  void readsTheExampleManifest() {
    ScaledObject so = ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml"));
    assertThat(so.name()).isEqualTo("model");
    assertThat(so.namespace()).isEqualTo("ml");
    assertThat(so.minReplicaCount()).isEqualTo(4);
    assertThat(so.maxReplicaCount()).isEqualTo(6);
    assertThat(so.pollingIntervalSeconds()).isEqualTo(15);
    assertThat(so.cooldownPeriodSeconds()).isEqualTo(300);
    assertThat(so.fallback()).contains(new Fallback(3, 6, FallbackBehavior.STATIC));
    assertThat(so.behavior()).isPresent();
    assertThat(so.behavior().get().scaleUp()).isEqualTo(new ScalingRules(0, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(1, 60))));
    assertThat(so.behavior().get().scaleDown()).isEqualTo(new ScalingRules(300, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(1, 60))));
    assertThat(so.triggers()).hasSize(1);
    assertThat(so.triggers().get(0).metadata()).containsEntry("scalerAddress", "legit-scaler.keda.svc:9090").containsEntry("minReplicas", "4");
  }

  @Test
  void kedaDefaults() {
    ScaledObject so = ScaledObjectReader.parse(MINIMAL, "so.yaml");
    assertThat(so.minReplicaCount()).isZero();
    assertThat(so.hpaMinReplicas()).isEqualTo(1);
    assertThat(so.maxReplicaCount()).isEqualTo(100);
    assertThat(so.pollingIntervalSeconds()).isEqualTo(30);
    assertThat(so.cooldownPeriodSeconds()).isEqualTo(300);
    assertThat(so.fallback()).isEmpty();
    assertThat(so.behavior()).isEmpty();
    assertThat(so.namespace()).isEqualTo("default");
    assertThat(so.hpaName()).isEqualTo("keda-hpa-so");
  }

  @Test
  void partialBehaviorKeepsDefaultsFieldByField() {
    String yaml = MINIMAL.replace("spec:\n", """
        spec:
          advanced:
            horizontalPodAutoscalerConfig:
              behavior:
                scaleUp: {stabilizationWindowSeconds: 30}
                scaleDown: {selectPolicy: Min}
        """);
    ScaledObject so = ScaledObjectReader.parse(yaml, "so.yaml");
    assertThat(so.behavior().get().scaleUp())
        .isEqualTo(new ScalingRules(30, SelectPolicy.Max, List.of(new ScalingPolicy.Pods(4, 15), new ScalingPolicy.Percent(100, 15))));
    assertThat(so.behavior().get().scaleDown()).isEqualTo(new ScalingRules(300, SelectPolicy.Min, List.of(new ScalingPolicy.Percent(100, 15))));
  }

  @Test
  void behaviorToleranceIsReadPerDirection() {
    String yaml = MINIMAL.replace("spec:\n", """
        spec:
          advanced:
            horizontalPodAutoscalerConfig:
              behavior:
                scaleUp: {tolerance: 0.05}
                scaleDown: {tolerance: "200m", stabilizationWindowSeconds: 60}
        """);
    ScaledObject so = ScaledObjectReader.parse(yaml, "so.yaml");
    assertThat(so.behavior().get().scaleUp().tolerance()).contains(0.05);
    assertThat(so.behavior().get().scaleDown().tolerance()).contains(0.2);
    assertThat(so.behavior().get().scaleDown().stabilizationWindowSeconds()).isEqualTo(60);
  }

  @Test
  void skipsOtherDocuments() {
    String yaml = "apiVersion: keda.sh/v1alpha1\nkind: TriggerAuthentication\nmetadata: {name: a}\nspec: {}\n---\n" + MINIMAL;
    assertThat(ScaledObjectReader.parse(yaml, "so.yaml").name()).isEqualTo("so");
  }

  @Test
  void mapsToTheHpaKedaCreates() {
    ScaledObject so = ScaledObjectReader.read(Path.of("examples/hpa/scaledobject.yaml"));
    HpaSpec spec = HpaMapping.toHpaSpec(so, Map.of(0, List.of(new MetricSpecAnswer("legit-scaler-replicas", 1, 1.0))));
    assertThat(spec.minReplicas()).isEqualTo(4);
    assertThat(spec.maxReplicas()).isEqualTo(6);
    assertThat(spec.metrics()).containsExactly(new ExternalMetric("s0-legit-scaler-replicas", new MetricTarget.AverageValue(1000)));
    assertThat(spec.behavior()).isEqualTo(so.behavior());
  }

  /** metricType and GetMetricSpec's int/float targets → the HPA metric target. */
  @ParameterizedTest(name = "metricType {0}, targetSize {1}, targetSizeFloat {2} -> {3} {4}")
  @CsvSource(delimiter = '|', textBlock = """
      -            | 5 | 0      | AverageValue | 5000
      AverageValue | 5 | 0      | AverageValue | 5000
      Value        | 5 | 0      | Value        | 5000
      -            | 1 | 0.7    | AverageValue | 700
      -            | 0 | 2.1234 | AverageValue | 2123
      Value        | 3 | 1.5    | Value        | 1500
      """)
  void metricTarget(String metricType, long size, double sizeFloat, String type, long milli) {
    String yaml = metricType.equals("-") ? MINIMAL : MINIMAL.replace("- type: external", "- type: external\n      metricType: " + metricType);
    ScaledObject so = ScaledObjectReader.parse(yaml, "so.yaml");
    HpaSpec spec = HpaMapping.toHpaSpec(so, Map.of(0, List.of(new MetricSpecAnswer("m", size, sizeFloat))));
    MetricTarget t = spec.metrics().get(0).target();
    assertThat(t.getClass().getSimpleName()).isEqualTo(type);
    assertThat(t.milli()).isEqualTo(milli);
  }

  /** Bad manifests: the error names the field and the accepted form. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      wrong apiVersion         | apiVersion: keda.sh/v1alpha1     | apiVersion: keda.sh/v1         | apiVersion: expected keda.sh/v1alpha1
      typo in spec             | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  minReplicas: 4 | spec.minReplicas: unknown field
      min above max            | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  minReplicaCount: 7\\n  maxReplicaCount: 6 | spec.minReplicaCount: must be ≤ maxReplicaCount (6)
      string replica count     | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  maxReplicaCount: \"6\" | spec.maxReplicaCount: expected an integer ≥ 1, got "6"
      unsupported trigger      | - type: external                 | - type: kafka                  | spec.triggers[0].type: the emulator calls external scalers only; expected external or external-push
      bad metricType           | - type: external                 | - type: external\\n      metricType: Utilization | spec.triggers[0].metricType: expected AverageValue or Value
      no scalerAddress         | {scalerAddress: \"127.0.0.1:9090\"} | {other: x}                   | spec.triggers[0].metadata.scalerAddress: required
      numeric metadata         | {scalerAddress: \"127.0.0.1:9090\"} | {scalerAddress: \"a:1\", minReplicas: 4} | spec.triggers[0].metadata.minReplicas: expected a string
      missing target name      | scaleTargetRef: {name: model}    | scaleTargetRef: {kind: Deployment} | spec.scaleTargetRef.name: required
      fallback without replicas | scaleTargetRef: {name: model}   | scaleTargetRef: {name: model}\\n  fallback: {failureThreshold: 3} | spec.fallback.replicas: required
      fallback bad behavior    | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  fallback: {failureThreshold: 3, replicas: 6, behavior: max} | spec.fallback.behavior: 'max'; expected static
      fallback with Value      | {scalerAddress: \"127.0.0.1:9090\"} | {scalerAddress: \"a:1\"}\\n      metricType: Value\\n  fallback: {failureThreshold: 3, replicas: 6} | fallback is only supported for triggers with metricType AverageValue
      bad policy type          | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleUp: {policies: [{type: Replicas, value: 1, periodSeconds: 60}]}}}} | spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].type: expected Pods or Percent
      bad period               | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleUp: {policies: [{type: Pods, value: 1, periodSeconds: 3600}]}}}} | policies[0].periodSeconds: expected an integer in 1..1800
      bad window               | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleDown: {stabilizationWindowSeconds: 4000}}}} | scaleDown.stabilizationWindowSeconds: expected an integer in 0..3600
      bad selectPolicy         | scaleTargetRef: {name: model}    | scaleTargetRef: {name: model}\\n  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleDown: {selectPolicy: Maximum}}}} | scaleDown.selectPolicy: 'Maximum' is not a selectPolicy; expected Max, Min or Disabled
      no triggers              | - type: external                 | []\\n  x:                        | spec.x: unknown field
      not yaml                 | kind: ScaledObject               | kind: [ScaledObject            | not valid YAML
      no ScaledObject          | kind: ScaledObject               | kind: Deployment               | no document with kind: ScaledObject
      """)
  void badManifests(String what, String find, String replace, String message) {
    String yaml = MINIMAL.replace(find, replace.replace("\\n", "\n"));
    assertThat(yaml).as("fixture edit applies").isNotEqualTo(MINIMAL);
    assertThatThrownBy(() -> ScaledObjectReader.parse(yaml, "so.yaml"))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith("so.yaml: ")
        .hasMessageContaining(message);
  }
}
