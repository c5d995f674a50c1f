package dev.legitscaler.scaler.legitimacy.kafka;

import java.util.Optional;

/**
 * Where a record carries the attributes the evidence dimensions use: header names for request records,
 * field paths (dotted or JSON Pointer) for access-log JSON. Empty: not read.
 *
 * @param address the client's network address; empty: the client id is used when it is an address
 * @param features JSON Pointer or dotted path of the model's feature array, in the record value (request
 *     records whose value is the model's JSON input) or in the access-log object
 */
public record AttributeFields(Optional<String> address, Optional<String> userAgent, Optional<String> path,
    Optional<String> tlsFingerprint, Optional<String> features) {

  public static final AttributeFields NONE = new AttributeFields(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());
}
