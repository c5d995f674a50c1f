# Java modules: proto, scaler, loadtest-evaluate, loadtest.
.PHONY: build test-java

build: $(SCALER_JAR) $(LOADTEST_EVALUATE_JAR) $(LOADTEST_JAR)

JAVA_SOURCES := $(shell find proto scaler loadtest-evaluate loadtest -path '*/target' -prune -o -type f \( -name '*.java' -o -name '*.proto' -o -name 'pom.xml' -o -path '*/resources/*' \) -print 2>/dev/null) pom.xml

$(SCALER_JAR) $(LOADTEST_EVALUATE_JAR) $(LOADTEST_JAR) &: $(JAVA_SOURCES)
	$(MVN) -q -DskipTests package

# Unit and integration tests of every module (real Kafka broker in the test JVM; Prometheus and
# Alertmanager binaries for the tests that need them).
test-java: tools
	$(MVN) verify
TEST_TARGETS += test-java
