# fristad — the two commands a newcomer needs are `make run` and `make test`.
# Everything is fetched from the Go module proxy by the go command itself.

export PATH := $(PATH):/usr/local/go/bin
GO       ?= go
DATA_DIR ?= ./data
ADDR     ?= 127.0.0.1:8080

.PHONY: run test browser-deps unit long crash fuzz gosec build bench vet fmt-check clean

## run: start the service in development mode (--dev: keys generated into ./data) on the embedded JetStream store
run:
	$(GO) run ./cmd/fristad serve --dev --data-dir $(DATA_DIR) --addr $(ADDR)

## test: the whole test suite (formatting, vet, race-checked tests, a few seconds of each fuzzer)
test: fmt-check vet browser-deps unit long crash fuzz gosec

unit: browser-deps
	$(GO) test -race -count=1 ./...

## browser-deps: the console's browser tests drive Debian's chromium and run
## axe-core (from npm, into the git-ignored .cache/axe) on every page.
browser-deps:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	test -f .cache/axe/node_modules/axe-core/axe.min.js || npm install --no-save --prefix .cache/axe axe-core@4

# The long checks run without the race detector, which would make them
# several times slower: replay of a 20,000-case population equals the live
# projections.
long:
	FRISTAD_LONG=1 $(GO) test -count=1 -run 'Long|ReplayOfSeeded' ./cmd/fristad/

## gosec: no high-severity finding (each exception says why in a #nosec comment).
## Installed from the Go module proxy; pinned because a later release needs a
## module version the proxy does not serve.
GOSEC_VERSION ?= v2.29.0
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin
gosec:
	$(GO) install github.com/securego/gosec/v2/cmd/gosec@$(GOSEC_VERSION)
	$(GOBIN_DIR)/gosec -quiet -severity high -confidence medium ./...

## crash: a server SIGKILLed 20 times under write load loses no acknowledged write.
crash:
	$(GO) test -tags crash -count=1 -run TestCrashLoop ./cmd/fristad/

# Interesting inputs found by fuzzing are kept under */testdata/fuzz and run
# as ordinary tests by `make unit`.
# A count, not a duration: Go 1.26's fuzz coordinator can report a bare
# "context deadline exceeded" when a -fuzztime duration ends while a worker
# is busy (golang/go#75804, fixed in Go 1.27); a count has no deadline.
FUZZTIME ?= 5000x
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeJSON$$' -fuzztime $(FUZZTIME) ./api/
	$(GO) test -run '^$$' -fuzz '^FuzzReportParams$$' -fuzztime $(FUZZTIME) ./api/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeMessage$$' -fuzztime $(FUZZTIME) ./eventstore/

build:
	$(GO) build -o bin/fristad ./cmd/fristad
	$(GO) build -o bin/fristad-bench ./cmd/fristad-bench

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

## bench: every benchmark, from their own binary (cmd/fristad-bench; the
## product binary carries none of it). `fristad-bench all` writes the one
## table (Markdown) with each figure next to its baseline measured in the
## same run: bench-results/summary.md (docs/benchmarks.md says how to read
## it). The Go benchmarks add per-package detail. The peer comparison needs
## Debian's PostgreSQL, installed here when missing.
bench:
	mkdir -p bench-results
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql)
	$(GO) run ./cmd/fristad-bench all -o bench-results/summary.md
	$(GO) test -run '^$$' -bench . -benchtime 3000x ./eventstore/ | tee bench-results/eventstore.txt
	$(GO) test -run '^$$' -bench 'CaseloadQuery|MemoryPer100k' -benchtime 1x ./projections/ | tee bench-results/projections.txt

clean:
	rm -rf bin
