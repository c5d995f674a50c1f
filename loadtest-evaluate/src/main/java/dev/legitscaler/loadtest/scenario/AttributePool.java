package dev.legitscaler.loadtest.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A pool of attribute values (user agents, paths, TLS fingerprints): {@code size} distinct values, used
 * by a Zipf law of exponent {@code concentration} (0 = evenly; default 1, how such values are spread in
 * real traffic).
 *
 * @param values {@code shared} (default): value i is the legitimate pool's value i, so a pool of the
 *     same size and concentration mimics the legitimate distribution exactly; {@code own}: values no
 *     legitimate client sends
 */
public record AttributePool(
    @JsonProperty("size") Integer size,
    @JsonProperty("concentration") Double concentration,
    @JsonProperty("values") PoolValues values) {

  public double concentrationOrDefault() {
    return concentration == null ? 1.0 : concentration;
  }

  public PoolValues valuesOrDefault() {
    return values == null ? PoolValues.SHARED : values;
  }
}
