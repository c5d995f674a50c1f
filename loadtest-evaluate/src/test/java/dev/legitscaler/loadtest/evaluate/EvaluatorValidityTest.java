package dev.legitscaler.loadtest.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.loadtest.keda.ScaledObject;
import dev.legitscaler.loadtest.keda.Trigger;
import dev.legitscaler.loadtest.scenario.Scenario;
import dev.legitscaler.loadtest.scenario.ScenarioLoader;
import dev.legitscaler.scaler.legitimacy.kafka.RecordFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The evaluator's scorer sees a request's validity only where the live source can read it: the live
 * source counts every request record valid unless the trigger names a {@code legitimacyValidityHeader},
 * so an evaluation that handed the scorer the scenario's ground truth anyway detected attacks (by their
 * invalid share) that the live platform could not.
 */
class EvaluatorValidityTest {

  record Row(RecordFormat format, boolean read) {}

  static Stream<Row> formats() {
    return Stream.of(
        new Row(new RecordFormat.Requests("client-id", Optional.empty()), false),
        new Row(new RecordFormat.Requests("client-id", Optional.of("request-valid")), true),
        new Row(new RecordFormat.AccessLog("client.ip", "status", Optional.empty(), 400, 499), true));
  }

  @ParameterizedTest
  @MethodSource("formats")
  void validityReachesTheScorerOnlyWhereTheLiveSourceReadsIt(Row row) {
    assertThat(Evaluator.validityRead(row.format())).isEqualTo(row.read());
  }

  @Test
  void withoutTheValidityHeaderTheBotnetsInvalidShareNoLongerSpeedsUpDetection() {
    Scenario demo = new ScenarioLoader().loadBuiltIn("demo");
    ScaledObject shipped = EvaluateScenariosTest.manifest();
    assertThat(shipped.triggers().get(0).metadata()).containsKey("legitimacyValidityHeader");
    Evaluator.Result withHeader = Evaluator.run(demo, shipped, EvaluationSettings.defaults());
    Evaluator.Result without = Evaluator.run(demo, withoutValidityHeader(shipped), EvaluationSettings.defaults());

    assertThat(withHeader.setup().validityRead()).isTrue();
    assertThat(without.setup().validityRead()).isFalse();
    long attackStart = demo.attacks().get(0).start().toMillis();
    long detectedWith = firstAttackRefresh(withHeader, attackStart);
    long detectedWithout = firstAttackRefresh(without, attackStart);
    // the botnet's 20 % invalid requests are one of the agreeing signals only when they can be seen
    assertThat(detectedWith).isLessThan(detectedWithout);
  }

  private static long firstAttackRefresh(Evaluator.Result r, long fromMillis) {
    return r.refreshes().stream().filter(x -> x.tMillis() >= fromMillis && x.attack()).mapToLong(Evaluator.Refresh::tMillis)
        .findFirst().orElse(Long.MAX_VALUE);
  }

  private static ScaledObject withoutValidityHeader(ScaledObject so) {
    Trigger t = so.triggers().get(0);
    Map<String, String> md = new LinkedHashMap<>(t.metadata());
    md.remove("legitimacyValidityHeader");
    return new ScaledObject(so.name(), so.namespace(), so.scaleTargetName(), so.minReplicaCount(), so.maxReplicaCount(),
        so.pollingIntervalSeconds(), so.cooldownPeriodSeconds(), so.fallback(), so.behavior(),
        List.of(new Trigger(t.index(), t.type(), t.name(), t.valueMetric(), md)));
  }
}
