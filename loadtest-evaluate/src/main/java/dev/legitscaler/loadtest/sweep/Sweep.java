package dev.legitscaler.loadtest.sweep;

import dev.legitscaler.loadtest.evaluate.EvaluationSettings;
import dev.legitscaler.loadtest.evaluate.Evaluator;
import dev.legitscaler.loadtest.keda.ScaledObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a {@link SweepFamily} through the evaluation and aggregates it. Each cell is an independent,
 * deterministic evaluation, so running cells on several threads changes nothing but the wall time; the
 * outcomes are kept in the family's order.
 */
public final class Sweep {
  /** A botnet counts as detected when it is declared within this long of its start. */
  public static final Duration DETECTION_BOUND = Duration.ofSeconds(60);

  /** The outcomes of every cell and the table's rows. */
  public record Result(SweepFamily family, List<CellOutcome> cells, List<ClassRow> classes, List<ClassRow> byNovelty,
      List<ClassRow> byAttackShare) {}

  /** The table's rows and margins from the cells' outcomes. */
  public static Result aggregate(SweepFamily family, List<CellOutcome> outcomes) {
    long bound = DETECTION_BOUND.toSeconds();
    return new Result(family, outcomes, SweepAggregation.byClass(outcomes, bound),
        SweepAggregation.margin(outcomes, c -> "novelty " + c.novelty().keyword(), bound),
        SweepAggregation.margin(outcomes, c -> "attack share " + Math.round(c.attackShare() * 100) + " %", bound));
  }

  private Sweep() {}

  public static Result run(SweepFamily family, ScaledObject so, EvaluationSettings settings, int threads)
      throws InterruptedException {
    List<SweepCell> cells = family.cells();
    Duration crowdFrom = family.baseline();
    Duration crowdTo = family.baseline().plus(family.surge());
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<CellOutcome>> futures = new ArrayList<>();
      for (SweepCell cell : cells) {
        futures.add(pool.submit(() -> CellOutcome.measure(cell, Evaluator.run(family.scenario(cell), so, settings),
            crowdFrom, crowdTo)));
      }
      List<CellOutcome> outcomes = new ArrayList<>();
      for (Future<CellOutcome> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
      return aggregate(family, outcomes);
    } finally {
      pool.shutdownNow();
    }
  }
}
