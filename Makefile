# legit-scaler: `make demo` runs the main job, `make test` runs everything CI runs.
# Each area adds its own targets in mk/*.mk and appends its test target to TEST_TARGETS.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

TOOLS_DIR := $(CURDIR)/.tools
export PATH := $(TOOLS_DIR)/bin:$(TOOLS_DIR)/go/bin:$(PATH)
export GOBIN := $(TOOLS_DIR)/bin
export GOPATH := $(TOOLS_DIR)/go
MVN ?= mvn -B -ntp
SCALER_JAR := scaler/target/legit-scaler.jar
LOADTEST_JAR := loadtest/target/loadtest.jar
# what the Airflow performance gate runs: evaluate, hpa, report, mlflow-log without the local platform
LOADTEST_EVALUATE_JAR := loadtest-evaluate/target/loadtest-evaluate.jar

TEST_TARGETS :=

include mk/*.mk

.PHONY: help test demo build clean
help:
	@echo "make demo   run the demo on this machine (installs what it needs)"
	@echo "make test   run every test CI runs (installs what it needs)"
	@echo "make build  build the jars only"

# k8s-binaries-background (mk/k8s.mk) goes first: a cold build of the Kubernetes and KEDA binaries runs
# beside the other tests instead of after them.
test: k8s-binaries-background $(TEST_TARGETS)
	@scripts/check-skips
	@echo "make test: all checks passed"

clean:
	$(MVN) -q clean
	rm -rf out
