# Porchlight: `make run` installs what is missing, builds and starts the app;
# `make test` runs every test. Both work on a fresh Debian machine as root.

export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin
LDFLAGS := -s -w
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build and the tests need.
APT_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev libayatana-appindicator3-dev

.PHONY: run test build deps relay fuzz bench clean

run: deps build
	./$(BIN)/porchlight

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight ./cmd/porchlight
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight-relay ./cmd/porchlight-relay

relay:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight-relay ./cmd/porchlight-relay

deps:
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/"; exit 1; }
	@missing=$$(for p in $(APT_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# Unit tests, the end-to-end tests with real binaries on loopback, and a
# short run of every fuzz target.
test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) test -count=1 -race -timeout 10m ./app/link ./signaling/... ./app/events ./app/envelope
	$(MAKE) fuzz

# Measurements, printed as BENCH lines (ratios against their anchors where
# the issue names one). Never part of `make test`.
bench: deps
	PORCHLIGHT_BENCH=1 $(GO) test -count=1 -timeout 30m -run '^TestBench' -v ./test | grep -E '^(BENCH|--- FAIL|FAIL|ok)'

FUZZTIME ?= 5s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./app/invite
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./app/envelope
	$(GO) test -run '^$$' -fuzz '^FuzzCleanPath$$' -fuzztime $(FUZZTIME) ./services/share
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFrame$$' -fuzztime $(FUZZTIME) ./signaling/wire

clean:
	rm -rf $(BIN)
