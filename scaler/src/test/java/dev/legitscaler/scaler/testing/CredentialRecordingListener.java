package dev.legitscaler.scaler.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * Captures what a client sends to an address: the credential a test must prove is (or is not) sent.
 * Not a backend: it answers just enough for a client to hand over its credential, on 127.0.0.1 and a
 * free port.
 *
 * <ul>
 *   <li>{@link #kafka()}: answers ApiVersions and SaslHandshake (mechanism PLAIN) like a SASL_PLAINTEXT
 *       listener, so a Kafka client configured for SASL PLAIN then sends {@code \0user\0password}.
 *   <li>{@link #http()}: records every request's {@code Authorization} header and answers an empty
 *       Prometheus vector.
 * </ul>
 */
public final class CredentialRecordingListener implements AutoCloseable {
  private final List<byte[]> kafkaBytes = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private ServerSocket socket;
  private HttpServer http;
  private final List<Socket> connections = new CopyOnWriteArrayList<>();

  private CredentialRecordingListener() {}

  /** A listener speaking the first steps of Kafka's SASL handshake. */
  public static CredentialRecordingListener kafka() throws IOException {
    CredentialRecordingListener l = new CredentialRecordingListener();
    l.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(l::acceptKafka, "credential-recording-kafka");
    t.setDaemon(true);
    t.start();
    return l;
  }

  /** An HTTP listener recording Authorization headers. */
  public static CredentialRecordingListener http() throws IOException {
    CredentialRecordingListener l = new CredentialRecordingListener();
    l.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    l.http.createContext("/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      l.requests.add(ex.getRequestURI().toString());
      if (auth != null) {
        l.authorizations.add(auth);
      }
      byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    });
    l.http.start();
    return l;
  }

  /** {@code 127.0.0.1:PORT} (Kafka) or {@code http://127.0.0.1:PORT} (HTTP). */
  public String address() {
    return socket != null ? "127.0.0.1:" + socket.getLocalPort()
        : "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** Everything Kafka clients sent, as ISO-8859-1 text (so a password can be searched for). */
  public String kafkaBytesReceived() {
    StringBuilder sb = new StringBuilder();
    kafkaBytes.forEach(b -> sb.append(new String(b, StandardCharsets.ISO_8859_1)));
    return sb.toString();
  }

  /** Number of Kafka requests received (any connection). */
  public int kafkaRequests() {
    return kafkaBytes.size();
  }

  /** Authorization header values received over HTTP. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** HTTP request URIs received. */
  public List<String> httpRequests() {
    return List.copyOf(requests);
  }

  private void acceptKafka() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        connections.add(s);
        Thread t = new Thread(() -> serveKafka(s), "credential-recording-kafka-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serveKafka(Socket s) {
    try (s; InputStream raw = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      DataInputStream in = new DataInputStream(raw);
      while (true) {
        int size = in.readInt();
        if (size < 8 || size > 1 << 20) {
          return;
        }
        byte[] request = new byte[size];
        in.readFully(request);
        kafkaBytes.add(request);
        ByteBuffer b = ByteBuffer.wrap(request);
        short apiKey = b.getShort();
        short version = b.getShort();
        int correlationId = b.getInt();
        if (apiKey == ApiKeys.API_VERSIONS.id) {
          ApiVersionsResponseData.ApiVersionCollection apis = new ApiVersionsResponseData.ApiVersionCollection();
          apis.add(api(ApiKeys.API_VERSIONS, 0, 4));
          apis.add(api(ApiKeys.SASL_HANDSHAKE, 0, 1));
          apis.add(api(ApiKeys.SASL_AUTHENTICATE, 0, 2));
          apis.add(api(ApiKeys.METADATA, 0, 12)); // so that a plaintext client sends a second request
          // answered in the version asked (the client parses it so); header v0 whatever the version
          write(out, correlationId, new ApiVersionsResponseData().setApiKeys(apis), version);
        } else if (apiKey == ApiKeys.SASL_HANDSHAKE.id) {
          write(out, correlationId, new SaslHandshakeResponseData().setMechanisms(List.of("PLAIN")), version);
        } else {
          return; // the credential (SaslAuthenticate) or a plaintext request is recorded: hang up
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or sent something we do not answer: what it sent is recorded
    }
  }

  private static ApiVersionsResponseData.ApiVersion api(ApiKeys key, int min, int max) {
    return new ApiVersionsResponseData.ApiVersion().setApiKey(key.id).setMinVersion((short) min)
        .setMaxVersion((short) max);
  }

  // ApiVersions and SaslHandshake responses both use response header v0
  private static void write(OutputStream out, int correlationId, ApiMessage body, short version) throws IOException {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
    int size = header.size(cache, (short) 0) + body.size(cache, version);
    ByteBuffer buf = ByteBuffer.allocate(4 + size);
    buf.putInt(size);
    ByteBufferAccessor acc = new ByteBufferAccessor(buf);
    header.write(acc, cache, (short) 0);
    body.write(acc, cache, version);
    out.write(buf.array());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      for (Socket c : connections) {
        c.close();
      }
    }
    if (http != null) {
      http.stop(0);
    }
  }
}
