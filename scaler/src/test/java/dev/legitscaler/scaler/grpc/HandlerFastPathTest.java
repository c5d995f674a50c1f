package dev.legitscaler.scaler.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.proto.externalscaler.ScaledObjectRef;
import dev.legitscaler.scaler.config.ServerLimits;
import dev.legitscaler.scaler.config.WatchKey;
import org.junit.jupiter.api.Test;

/** The pieces that keep GetMetrics cheap: the trigger-index check and the bounded WatchKey cache. */
class HandlerFastPathTest {
  @Test
  void triggerIndexPrefixIsStrippedExactlyAsTheRegexWould() {
    assertThat(ExternalScalerService.withoutTriggerIndex("s0-legitscaler-ml-a-1")).isEqualTo("legitscaler-ml-a-1");
    assertThat(ExternalScalerService.withoutTriggerIndex("s12-x")).isEqualTo("x");
    assertThat(ExternalScalerService.withoutTriggerIndex("legitscaler-ml-a-1")).isEqualTo("legitscaler-ml-a-1");
    assertThat(ExternalScalerService.withoutTriggerIndex("s-x")).isEqualTo("s-x");
    assertThat(ExternalScalerService.withoutTriggerIndex("s0")).isEqualTo("s0");
    assertThat(ExternalScalerService.withoutTriggerIndex("s0x-y")).isEqualTo("s0x-y");
    assertThat(ExternalScalerService.withoutTriggerIndex("t0-y")).isEqualTo("t0-y");
    assertThat(ExternalScalerService.withoutTriggerIndex("")).isEmpty();
  }

  @Test
  void cachedKeysEqualComputedKeysAndTheCacheStaysBounded() {
    WatchKeyCache cache = new WatchKeyCache(100);
    for (int i = 0; i < 1000; i++) {
      ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("ml").setName("so-" + i)
          .putScalerMetadata("loadQuery", "q" + (i % 7)).putScalerMetadata("targetLoad", "0.7").build();
      WatchKey expected = WatchKey.of("ml", "so-" + i, ref.getScalerMetadataMap());
      assertThat(WatchKeyCache.compute(ref)).isEqualTo(expected);
      cache.remember(ref, expected);
      assertThat(cache.cached(ref.toBuilder().build())).as("an equal message from another call").isEqualTo(expected);
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void theKeyCacheHoldsEveryWatchTheServerAllows() {
    // 10,001 triggers fit under the default --max-watches (20,000): a cache of 10,000 refs would be
    // emptied on every pass of KEDA's polls and re-hash every ref.
    WatchKeyCache cache = ExternalScalerService.keyCacheFor(ServerLimits.defaults());
    for (int i = 0; i <= 10_000; i++) {
      ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("team").setName("model-" + i)
          .putScalerMetadata("loadQuery", "up").build();
      cache.remember(ref, WatchKeyCache.compute(ref));
    }
    assertThat(cache.size()).isEqualTo(10_001);
    WatchKeyCache small = ExternalScalerService.keyCacheFor(ServerLimits.defaults().withWatches(10, 10));
    for (int i = 0; i < 21; i++) {
      ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("team").setName("m-" + i).build();
      small.remember(ref, WatchKeyCache.compute(ref));
    }
    assertThat(small.size()).as("bounded by 2 refs per allowed watch").isLessThanOrEqualTo(20);
  }
}
