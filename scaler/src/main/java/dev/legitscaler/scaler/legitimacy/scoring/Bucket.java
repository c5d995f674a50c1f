package dev.legitscaler.scaler.legitimacy.scoring;

/** What one time bucket retains: counters, the heavy hitters and a distinct sample of its clients. */
final class Bucket {
  long index = Long.MIN_VALUE;
  long total;
  long invalid;
  long uncleared;
  final SpaceSaving heavy;
  final ClientSample sample;
  final DimensionBucket dims = new DimensionBucket();

  Bucket(int heavySlots, int sampleCapacity) {
    heavy = new SpaceSaving(heavySlots);
    sample = new ClientSample(sampleCapacity);
  }

  void reset(long newIndex) {
    index = newIndex;
    total = 0;
    invalid = 0;
    uncleared = 0;
    heavy.clear();
    sample.clear();
    dims.reset();
  }

  long retainedBytes() {
    return 32 + heavy.retainedBytes() + sample.retainedBytes() + dims.retainedBytes();
  }
}
