package dev.legitscaler.scaler.signal.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.legitscaler.scaler.signal.SignalException;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How Kafka client failures map to the categories operators see as metric labels. The broker tests
 * produce connect, unknown_topic, unknown_group and no_partitions for real; the failures below need
 * a misconfigured or secured cluster, so the exceptions the client would raise are built directly.
 */
class LagFailureCategoryTest {
  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new TimeoutException("Timed out waiting for a node assignment. Call: describeTopics"),
            KafkaLagSource.CONNECT),
        Arguments.of(new TimeoutException("Call(callName=listOffsets, deadlineMs=1) timed out at 2 after 1 attempt(s)",
            new DisconnectException("Cancelled listOffsets request due to node 1 being disconnected")),
            KafkaLagSource.CONNECT),
        Arguments.of(new TimeoutException("Call(callName=listOffsets, deadlineMs=1) timed out at 2 after 3 attempt(s)"),
            KafkaLagSource.TIMEOUT),
        Arguments.of(new UnknownTopicOrPartitionException("This server does not host this topic-partition."),
            KafkaLagSource.UNKNOWN_TOPIC),
        Arguments.of(new InvalidTopicException("Topic name is invalid: 'a b'"), KafkaLagSource.UNKNOWN_TOPIC),
        Arguments.of(new GroupIdNotFoundException("The group id does not exist."), KafkaLagSource.UNKNOWN_GROUP),
        Arguments.of(new SaslAuthenticationException("Authentication failed: Invalid username or password"),
            KafkaLagSource.AUTH),
        Arguments.of(new SslAuthenticationException("SSL handshake failed"), KafkaLagSource.AUTH),
        Arguments.of(new GroupAuthorizationException("Not authorized to access group: g"), KafkaLagSource.AUTH),
        Arguments.of(new TopicAuthorizationException("Not authorized to access topics: [t]"), KafkaLagSource.AUTH),
        Arguments.of(new DisconnectException("node disconnected"), KafkaLagSource.CONNECT),
        Arguments.of(new CoordinatorNotAvailableException("The coordinator is not available."),
            KafkaLagSource.KAFKA_ERROR),
        Arguments.of(new KafkaException("something else"), KafkaLagSource.KAFKA_ERROR));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("failures")
  void category(Throwable failure, String expected) {
    SignalException e = KafkaLagSource.classify(failure, "listing offsets");
    assertThat(e.category()).isEqualTo(expected);
    assertThat(e.getMessage()).startsWith("listing offsets: ").contains(failure.getMessage());
    assertThat(e.getCause()).isSameAs(failure);
  }
}
