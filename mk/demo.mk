# `make demo`: the main job on the embedded default (everything on this machine, no cluster): the
# built-in demo scenario (steady -> 3x flash crowd -> botnet -> recovery) on the local platform, then a
# short verdict and the report's path. `java -jar loadtest/target/loadtest.jar quickstart` remains the
# one-minute first look.
.PHONY: demo test-readme-grpcurl

demo: build apt-tools
	java -jar $(LOADTEST_JAR) run loadtest/scenarios/demo.yaml --local --out out/demo

# README's grpcurl commands, run verbatim (but for the port) against the built jar with a real grpcurl.
test-readme-grpcurl: build tools
	scripts/test-readme-grpcurl
TEST_TARGETS += test-readme-grpcurl
