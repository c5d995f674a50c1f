package dev.legitscaler.loadtest.generate;

import dev.legitscaler.loadtest.payload.RequestHeaders;
import dev.legitscaler.loadtest.payload.RequestPayload;
import dev.legitscaler.loadtest.traffic.TrafficEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a traffic event into a request record: key = client id (the scaler's fallback identity), JSON
 * payload the model accepts (or a malformed one when the event is invalid), and the headers client-id,
 * send-ts (the intended send time, epoch µs), scenario-phase and event-id. Ground truth (attack or not)
 * is deliberately not on the wire.
 */
final class RecordFactory {

  private final String topic;
  private final long seed;

  RecordFactory(String topic, long seed) {
    this.topic = topic;
    this.seed = seed;
  }

  ProducerRecord<byte[], byte[]> record(TrafficEvent event, long intendedEpochMicros) {
    byte[] client = event.clientId().getBytes(StandardCharsets.UTF_8);
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, null, intendedEpochMicros / 1000, client,
        RequestPayload.forEvent(seed, event.eventId(), event.valid()));
    r.headers()
        .add(RequestHeaders.CLIENT_ID, client)
        .add(RequestHeaders.SEND_TS, RequestHeaders.utf8(Long.toString(intendedEpochMicros)))
        .add(RequestHeaders.PHASE, RequestHeaders.utf8(event.phase()))
        .add(RequestHeaders.EVENT_ID, RequestHeaders.utf8(Long.toString(event.eventId())));
    return r;
  }
}
