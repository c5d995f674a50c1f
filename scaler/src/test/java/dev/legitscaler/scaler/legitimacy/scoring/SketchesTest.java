package dev.legitscaler.scaler.legitimacy.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bounded structures behind the scorer, checked against exact counterparts. */
class SketchesTest {

  @Test
  void longIntMapMatchesAHashMapThroughPutsAndRemoves() {
    LongIntMap map = new LongIntMap(512);
    Map<Long, Integer> exact = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 200_000; i++) {
      long key = LongIntMap.nonZero(rnd.nextInt(700) * 0x9E3779B97F4A7C15L);
      if (exact.size() < 512 && rnd.nextBoolean()) {
        map.put(key, i);
        exact.put(key, i);
      } else {
        map.remove(key);
        exact.remove(key);
      }
      if (i % 1000 == 0) {
        for (Map.Entry<Long, Integer> e : exact.entrySet()) {
          assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(map.size()).isEqualTo(exact.size());
      }
    }
  }

  @Test
  void spaceSavingKeepsEveryClientAboveTotalOverKWithAGuaranteedLowerBound() {
    SpaceSaving ss = new SpaceSaving(64);
    Map<Long, Long> exact = new HashMap<>();
    SplittableRandom rnd = new SplittableRandom(9);
    long total = 0;
    for (int i = 0; i < 100_000; i++) {
      // 5 heavy clients with 8 % each, the rest spread over 50,000 clients
      long client = rnd.nextInt(100) < 40 ? rnd.nextInt(5) : 100 + rnd.nextInt(50_000);
      long h = ClientHash.of("c" + client);
      ss.offer(h, "c" + client);
      exact.merge(h, 1L, Long::sum);
      total++;
    }
    for (Map.Entry<Long, Long> e : exact.entrySet()) {
      int slot = ss.slotOf(e.getKey());
      if (e.getValue() > total / 64) {
        assertThat(slot).as("heavy client present").isGreaterThanOrEqualTo(0);
      }
      if (slot >= 0) {
        assertThat(ss.count(slot) - ss.error(slot)).isLessThanOrEqualTo(e.getValue());
        assertThat(ss.count(slot)).isGreaterThanOrEqualTo(e.getValue());
      }
    }
  }

  @Test
  void clientSampleStaysWithinCapacityAndEstimatesDistinctClients() {
    ClientSample sample = new ClientSample(1024);
    int distinct = 100_000;
    for (int i = 0; i < distinct; i++) {
      long h = ClientHash.of("client-" + i);
      sample.offer(h, "client-" + i, true, true);
      sample.offer(h, "client-" + i, true, i % 2 == 0);
    }
    assertThat(sample.size()).isLessThan(1024);
    double estimate = sample.size() * Math.pow(2, sample.level());
    assertThat(estimate).isBetween(distinct * 0.8, distinct * 1.2);
    for (int i = 0; i < sample.size(); i++) {
      assertThat(sample.count(i)).isEqualTo(2); // exact counts for the kept clients
    }
  }

  @Test
  void blockedBloomFilterHasNoFalseNegativesAndFewFalsePositivesAtCapacity() {
    BlockedBloomFilter f = new BlockedBloomFilter(100_000);
    for (int i = 0; i < 100_000; i++) {
      f.add(ClientHash.of("in-" + i));
    }
    for (int i = 0; i < 100_000; i++) {
      assertThat(f.mightContain(ClientHash.of("in-" + i))).isTrue();
    }
    int falsePositives = 0;
    for (int i = 0; i < 100_000; i++) {
      if (f.mightContain(ClientHash.of("out-" + i))) {
        falsePositives++;
      }
    }
    assertThat(falsePositives).isLessThan(1000); // < 1 %
  }

  @Test
  void knownClientsForgetAfterTheRetentionAndClearOnlyInCalm() {
    KnownClients known = new KnownClients(10_000, 60_000, 2, 1000);
    long a = ClientHash.of("a");
    long b = ClientHash.of("b");
    known.notePending(a, 0);
    known.onBucketClosed(0, true, 5_000);
    known.onBucketClosed(1, true, 10_000);
    assertThat(known.isCleared(a)).isFalse(); // still on probation
    known.onBucketClosed(2, true, 15_000);
    assertThat(known.isCleared(a)).isTrue();
    known.notePending(b, 3);
    known.onBucketClosed(3, false, 20_000); // an attack: probation starts over
    known.onBucketClosed(4, true, 25_000);
    known.onBucketClosed(5, true, 30_000);
    assertThat(known.isCleared(b)).isFalse();
    // two rotations (30 s each) without seeing a: forgotten
    for (long bucket = 6; bucket < 20; bucket++) {
      known.onBucketClosed(bucket, true, bucket * 5_000 + 5_000);
    }
    assertThat(known.peekCleared(a)).isFalse();
  }

  @Test
  void prefixCollisionsCountSharedPrefixesExactlyWhileTheyFit() {
    PrefixCollisions c = new PrefixCollisions();
    for (long key : new long[] {11, 11, 11, 22, 22, 33}) {
      c.add(key);
    }
    assertThat(c.clients()).isEqualTo(6);
    assertThat(c.pairs()).isEqualTo(15.0);
    assertThat(c.collisions()).isEqualTo(4.0); // C(3,2) + C(2,2)
    assertThat(c.weight()).isEqualTo(1.0);
    c.clear();
    assertThat(c.clients()).isZero();
    assertThat(c.collisions()).isZero();
  }

  @Test
  void prefixCollisionsSampleByPrefixBeyondTheirCapacityAndStayUnbiased() {
    // 20,000 prefixes of 3 clients each (60,000 collisions) and 20,000 of one client: far more prefixes
    // than the table holds, so it keeps a 2^-level sample of the prefixes and scales up
    PrefixCollisions c = new PrefixCollisions();
    for (int round = 0; round < 3; round++) {
      for (int p = 0; p < 40_000; p++) {
        if (p < 20_000 || round == 0) {
          c.add(LongIntMap.nonZero(ClientHash.mix(p + 1)));
        }
      }
    }
    assertThat(c.clients()).isEqualTo(80_000);
    assertThat(c.weight()).isGreaterThanOrEqualTo(64.0);
    assertThat(c.collisions()).isBetween(60_000 * 0.8, 60_000 * 1.2);
  }
}
