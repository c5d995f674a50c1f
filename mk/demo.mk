# `make demo`: the main job on the embedded default (everything on this machine, no cluster).
.PHONY: demo test-readme-grpcurl

demo: build tools
	java -jar $(LOADTEST_JAR) quickstart --scaler-jar $(SCALER_JAR) --out out/quickstart

# README's grpcurl commands, run verbatim (but for the port) against the built jar with a real grpcurl.
test-readme-grpcurl: build tools
	scripts/test-readme-grpcurl
TEST_TARGETS += test-readme-grpcurl
