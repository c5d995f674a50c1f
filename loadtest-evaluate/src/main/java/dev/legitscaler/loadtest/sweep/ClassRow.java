package dev.legitscaler.loadtest.sweep;

/**
 * One row of the operating curve: the cells of one class (one {@link SurgeKind}) aggregated.
 *
 * @param cells cells in the class
 * @param detected attack cells declared within the detection bound
 * @param detectionRate {@code detected / cells}; null for a class without attack
 * @param medianDetectionSeconds median time to declare over the cells declared at all (within the bound
 *     or later); null when none was
 * @param windows refreshes counted for the false-positive rate, summed over the cells
 * @param lowScoreWindows of those, the ones with s &lt; 0.9
 * @param falsePositiveRate {@code lowScoreWindows / windows}; null when there was no such window
 * @param legitWasted wasted replica-minutes of the legitimacy-aware policy, summed over the cells
 * @param naiveWasted wasted replica-minutes of the naive policy, summed over the cells
 * @param wastedRatio {@code legitWasted / naiveWasted}; null when the naive policy wasted nothing
 */
public record ClassRow(String className, boolean attack, int cells, int detected, Double detectionRate,
    Double medianDetectionSeconds, int windows, int lowScoreWindows, Double falsePositiveRate, double legitWasted,
    double naiveWasted, Double wastedRatio) {}
