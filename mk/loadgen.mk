# Load generator benchmark (not part of `make test`: it measures, it does not check).
# Output: loadtest/target/benchmarks/loadtest.md; see docs/benchmarks/loadtest.md.
.PHONY: bench-generate
bench-generate:
	$(MVN) -pl loadtest -am test -Dtest=GeneratorBenchmark -Dsurefire.failIfNoSpecifiedTests=false
