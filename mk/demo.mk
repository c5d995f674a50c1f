# `make demo`: the main job on the embedded default (everything on this machine, no cluster): the
# built-in demo scenario (steady -> 3x flash crowd -> botnet -> recovery) on the local platform, then a
# short verdict and the report's path. `java -jar loadtest/target/loadtest.jar quickstart` remains the
# one-minute first look.
.PHONY: demo test-readme-grpcurl

# Exit code 1 means the run completed and its verdict (printed above, FAIL lines included) has a failed
# expectation: the demo has still done its job. Anything else (bad input, a platform that did not
# start) fails `make demo`.
demo: build apt-tools
	@java -jar $(LOADTEST_JAR) run loadtest/scenarios/demo.yaml --local --out out/demo; rc=$$?; \
	if [ $$rc -eq 1 ]; then echo "make demo: the run completed; see the FAIL lines of the verdict above and out/demo/report.html"; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

# README's grpcurl commands, run verbatim (but for the port) against the built jar with a real grpcurl.
test-readme-grpcurl: build tools
	scripts/test-readme-grpcurl
TEST_TARGETS += test-readme-grpcurl
