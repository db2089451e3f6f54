# Porchlight: `make run` installs what is missing, builds and starts the app;
# `make test` runs every test. Both work on a fresh Debian machine as root.

export PATH := $(PATH):/usr/local/go/bin
GO      ?= go
BIN     := bin
LDFLAGS := -s -w
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages the build needs.
APT_PKGS := gcc pkg-config libgl1-mesa-dev xorg-dev libayatana-appindicator3-dev
# ...and the tests: a private X display and session bus for the tray and
# window, real third-party peers (litmus, avahi), namespaces and NAT
# (iproute2, iptables), and the packaging checks.
TEST_APT_PKGS := xvfb dbus libglib2.0-bin x11-utils litmus avahi-utils avahi-daemon iproute2 iptables \
	lintian desktop-file-utils nsis systemd

# Packaging: `make deb` and `make release` write into $(DIST).
VERSION    ?= 0.1.0
DIST       ?= dist
STAGE      := $(DIST)/stage
BUILDFLAGS ?= -trimpath
# The desktop binaries in the .deb are position independent (ASLR), as
# Debian's hardening asks.
DEB_BUILDFLAGS ?= $(BUILDFLAGS) -buildmode=pie
NFPM       := $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.41.1
# Packaged files carry the last commit's time, so the same commit packs
# the same .deb.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
# Cross compilers `make release` needs, beyond APT_PKGS.
RELEASE_APT_PKGS := gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-mingw-w64-x86-64 nsis

.PHONY: run test build deps test-deps relay fuzz bench screenshots clean deb relay-deb release release-deps apt-install windows

run: deps build
	./$(BIN)/porchlight

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight ./cmd/porchlight
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight-window ./cmd/porchlight-window
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight-relay ./cmd/porchlight-relay

relay:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/porchlight-relay ./cmd/porchlight-relay

deps:
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/"; exit 1; }
	@$(MAKE) --no-print-directory apt-install PKGS="$(APT_PKGS)"

test-deps: deps
	@$(MAKE) --no-print-directory apt-install PKGS="$(TEST_APT_PKGS)"

release-deps: deps
	@$(MAKE) --no-print-directory apt-install PKGS="$(RELEASE_APT_PKGS)"

apt-install:
	@missing=$$(for p in $(PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# Unit tests, the end-to-end tests with real binaries on loopback, and a
# short run of every fuzz target.
test: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...
	$(GO) test -count=1 -race -timeout 10m ./app/link ./signaling/... ./app/events ./app/envelope
	$(MAKE) fuzz

# Measurements, printed as BENCH lines (ratios against their anchors where
# the issue names one). Never part of `make test`.
bench: test-deps
	PORCHLIGHT_BENCH=1 $(GO) test -count=1 -timeout 30m -run '^TestBench' -v ./test | grep -E '^(BENCH|--- FAIL|FAIL|ok)'
	$(GO) run ./signaling/loadgen -clients 15000 -duration 20s

# Renders each window view with sample data into docs/screenshots/.
screenshots:
	$(GO) run ./ui/window/internal/shots docs/screenshots

FUZZTIME ?= 5s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./app/invite
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./app/envelope
	$(GO) test -run '^$$' -fuzz '^FuzzOpen$$' -fuzztime $(FUZZTIME) ./app/backup
	$(GO) test -run '^$$' -fuzz '^FuzzCleanPath$$' -fuzztime $(FUZZTIME) ./services/share
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeFrame$$' -fuzztime $(FUZZTIME) ./signaling/wire

# The Debian packages: $(DIST)/porchlight_$(VERSION)_amd64.deb (the app and
# its window) and $(DIST)/porchlight-relay_$(VERSION)_amd64.deb. nfpm runs as
# a Go tool at a pinned version; installers/*/nfpm.yaml say what goes where.
deb: deps
	rm -rf $(STAGE)/linux-amd64 && mkdir -p $(STAGE)/linux-amd64
	$(GO) build $(DEB_BUILDFLAGS) -ldflags '$(LDFLAGS)' -o $(STAGE)/linux-amd64/porchlight ./cmd/porchlight
	$(GO) build $(DEB_BUILDFLAGS) -ldflags '$(LDFLAGS)' -o $(STAGE)/linux-amd64/porchlight-window ./cmd/porchlight-window
	$(GO) run ./installers/linux/icons -out $(STAGE)/linux-amd64/icons
	for f in changelog porchlight.1 porchlight-window.1; do gzip -9n < installers/linux/$$f > $(STAGE)/linux-amd64/$$f.gz || exit 1; done
	STAGE=$(abspath $(STAGE)/linux-amd64) VERSION=$(VERSION) $(NFPM) package --config installers/linux/nfpm.yaml --packager deb --target $(DIST)/porchlight_$(VERSION)_amd64.deb
	$(MAKE) --no-print-directory relay-deb ARCH=amd64

# The relay's package for one Debian architecture (ARCH=amd64 or arm64). The
# unit in installers/relay names /usr/local paths for a hand install; the
# package puts the binary in /usr/bin and the config in /etc/porchlight-relay/.
ARCH ?= amd64
relay-deb:
	rm -rf $(STAGE)/relay-$(ARCH) && mkdir -p $(STAGE)/relay-$(ARCH)
	CGO_ENABLED=0 GOARCH=$(ARCH) $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o $(STAGE)/relay-$(ARCH)/porchlight-relay ./cmd/porchlight-relay
	sed -e 's|/usr/local/bin/porchlight-relay|/usr/bin/porchlight-relay|g' \
	    -e 's|/etc/porchlight-relay\.conf|/etc/porchlight-relay/porchlight-relay.conf|g' \
	    installers/relay/porchlight-relay.service > $(STAGE)/relay-$(ARCH)/porchlight-relay.service
	for f in changelog porchlight-relay.8; do gzip -9n < installers/relay/$$f > $(STAGE)/relay-$(ARCH)/$$f.gz || exit 1; done
	STAGE=$(abspath $(STAGE)/relay-$(ARCH)) VERSION=$(VERSION) ARCH=$(ARCH) $(NFPM) package --config installers/relay/nfpm.yaml --packager deb --target $(DIST)/porchlight-relay_$(VERSION)_$(ARCH).deb

# Everything that can be built here, with SHA256SUMS: both .debs; the relay
# (static) and the headless daemon (-tags headless, cgo for SQLite) for
# linux/amd64 and linux/arm64, and the arm64 relay .deb; the Windows
# programs and their NSIS installer (see installers/windows/README.md).
# macOS cannot be built here: see installers/macos/README.md.
release: release-deps deb
	$(MAKE) --no-print-directory relay-deb ARCH=arm64
	for arch in amd64 arm64; do \
		CGO_ENABLED=0 GOARCH=$$arch $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o $(DIST)/porchlight-relay_$(VERSION)_linux_$$arch ./cmd/porchlight-relay || exit 1; \
	done
	$(GO) build $(BUILDFLAGS) -tags headless -ldflags '$(LDFLAGS)' -o $(DIST)/porchlight-headless_$(VERSION)_linux_amd64 ./cmd/porchlight
	CC=aarch64-linux-gnu-gcc CGO_ENABLED=1 GOARCH=arm64 $(GO) build $(BUILDFLAGS) -tags headless -ldflags '$(LDFLAGS)' -o $(DIST)/porchlight-headless_$(VERSION)_linux_arm64 ./cmd/porchlight
	rm -f $(DIST)/porchlight-setup-*.exe
	$(MAKE) --no-print-directory windows || echo "the Windows build failed (see above): no Windows installer in this release" > $(STAGE)/windows-failed
	cd $(DIST) && rm -f SHA256SUMS && sha256sum $$(find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%P\n' | sort) > SHA256SUMS
	@echo "release $(VERSION) in $(DIST):" && cat $(DIST)/SHA256SUMS
	@if [ -f $(STAGE)/windows-failed ]; then echo "WARNING: $$(cat $(STAGE)/windows-failed)"; rm $(STAGE)/windows-failed; fi

# The Windows programs, cross-built with mingw-w64, and the NSIS installer
# $(DIST)/porchlight-setup-$(VERSION)-windows-amd64.exe.
WINENV := GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc
windows:
	rm -rf $(STAGE)/windows-amd64 && mkdir -p $(STAGE)/windows-amd64
	$(WINENV) $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS) -H windowsgui' -o $(STAGE)/windows-amd64/porchlight-window.exe ./cmd/porchlight-window
	$(WINENV) $(GO) build $(BUILDFLAGS) -ldflags '$(LDFLAGS)' -o $(STAGE)/windows-amd64/porchlight.exe ./cmd/porchlight
	$(GO) run ./installers/linux/icons -out $(STAGE)/windows-amd64/icons -ico $(STAGE)/windows-amd64/porchlight.ico
	makensis -V2 -WX -DVERSION=$(VERSION) -DSTAGE=$(abspath $(STAGE)/windows-amd64) -DOUTFILE=$(abspath $(DIST))/porchlight-setup-$(VERSION)-windows-amd64.exe installers/windows/porchlight.nsi

clean:
	rm -rf $(BIN) $(DIST)
