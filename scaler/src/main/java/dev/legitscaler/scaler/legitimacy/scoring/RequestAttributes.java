package dev.legitscaler.scaler.legitimacy.scoring;

/**
 * What a record says about its request besides the client identity; every part optional (null).
 *
 * @param address the client's network address (IPv4 or IPv6); null: the client id when it is one
 * @param userAgent the user agent the gateway saw
 * @param path the request path
 * @param tlsFingerprint the TLS fingerprint the gateway computed (JA3, JA4, ...)
 * @param features the model's input features of the request (only the first
 *     {@link DimensionParameters#MAX_FEATURES} are used); not copied, must not change afterwards
 */
public record RequestAttributes(String address, String userAgent, String path, String tlsFingerprint,
    double[] features) {

  /** No attributes: only the identity-based dimensions apply (and the network one when the id is an address). */
  public static final RequestAttributes NONE = new RequestAttributes(null, null, null, null, null);
}
