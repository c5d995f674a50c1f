package dev.legitscaler.loadtest.generate;

import dev.legitscaler.loadtest.payload.PayloadPool;
import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a traffic event into a request record: key = client id (the scaler's fallback identity), JSON
 * payload the model accepts (or a malformed one when the event is invalid), and the headers client-id,
 * send-ts (the intended send time, epoch µs), scenario-phase, event-id and request-valid (what a gateway
 * that checks the payload's schema knows, read by the scaler's {@code legitimacyValidityHeader}). Ground
 * truth (attack or not) is deliberately not on the wire.
 *
 * <p>This runs for every record at up to hundreds of thousands per second, so encoded client ids and
 * phase names are cached (the traffic model hands out the same String instances, hence identity keys)
 * and bodies come from a {@link PayloadPool}. One instance per sending thread.
 *
 * <p>Records are spread over the topic's partitions in turn, one each. The producer's sticky
 * partitioner (keys ignored) would fill one partition with a whole batch (batch.size bytes, some 200
 * records) before moving on, so at a few hundred records per second one replica's partitions take all
 * the traffic for a fraction of a second while the others idle: replicas alternate between saturated
 * and idle and the lag of the hot partitions tops the scaler's cap at a load of a third of capacity.
 * Hashing the client-id key instead would tie a heavy client's share to one partition.
 */
final class RecordFactory {

  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  private final String topic;
  private final PayloadPool payloads;
  private final Map<String, byte[]> encoded = new IdentityHashMap<>();
  private final int partitions;
  private int nextPartition;

  /** {@code partitions}: how many the topic has, or 0 to leave the choice to the producer. */
  RecordFactory(String topic, long seed, int partitions) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    this.topic = topic;
    this.payloads = new PayloadPool(seed);
    this.partitions = partitions;
  }

  ProducerRecord<byte[], byte[]> record(TrafficEvent event, long intendedEpochMicros) {
    byte[] client = encoded.computeIfAbsent(event.clientId(), s -> s.getBytes(StandardCharsets.UTF_8));
    Integer partition = null;
    if (partitions > 0) {
      partition = nextPartition;
      nextPartition = nextPartition + 1 == partitions ? 0 : nextPartition + 1;
    }
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, intendedEpochMicros / 1000, client,
        payloads.body(event.eventId(), event.valid(), event.payload()));
    r.headers()
        .add(RequestHeaders.CLIENT_ID, client)
        .add(RequestHeaders.SEND_TS, ascii(intendedEpochMicros))
        .add(RequestHeaders.PHASE, encoded.computeIfAbsent(event.phase(), s -> s.getBytes(StandardCharsets.UTF_8)))
        .add(RequestHeaders.EVENT_ID, ascii(event.eventId()))
        // the verdict of a gateway that checks the payload's schema before queuing it
        .add(RequestHeaders.VALID, event.valid() ? TRUE : FALSE);
    // attributes only when the scenario's profile has them: a gateway that does not report one sends none
    // the address a gateway saw, only when it is not the identity itself
    addText(r, RequestHeaders.CLIENT_ADDRESS, event.address());
    addText(r, RequestHeaders.USER_AGENT, event.userAgent());
    addText(r, RequestHeaders.PATH, event.path());
    addText(r, RequestHeaders.TLS_FINGERPRINT, event.tlsFingerprint());
    return r;
  }

  private void addText(ProducerRecord<byte[], byte[]> r, String header, String value) {
    if (value != null) {
      r.headers().add(header, encoded.computeIfAbsent(value, s -> s.getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** Decimal ASCII of a non-negative long, without an intermediate String. */
  static byte[] ascii(long value) {
    if (value < 0) {
      return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
    int digits = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      digits++;
    }
    byte[] out = new byte[digits];
    long v = value;
    for (int i = digits - 1; i >= 0; i--) {
      out[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return out;
  }
}
