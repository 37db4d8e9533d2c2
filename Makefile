# mend: build, run, test, install. Every target installs what it needs first.
PREFIX ?= /usr/local
SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)/mend
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build release run test eval bench install uninstall clean

all: build

# GNU readline's headers, from apt, only when they are missing.
deps:
	@if [ ! -f /usr/include/readline/readline.h ]; then \
		echo "Installing libreadline-dev (needed for the line editor)..."; \
		$(SUDO) apt-get update && $(SUDO) apt-get install -y libreadline-dev; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product mend

release: deps
	$(SWIFT) build -c release --product mend

run: build
	@$(BIN) chat $(ARGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	.build/debug/mend test dialogs

# How well free text and crisis language are understood. The example lines in dialogs/*/examples are what the
# learned readers are taught (and what the rules were tuned on), so they are not measured here.
eval: deps
	$(SWIFT) build -c release --product mend
	@echo "== Fresh probes the learned readers' thresholds were set on (never taught):"
	-.build/release/mend eval Tests/Evaluation/understanding
	-.build/release/mend eval-safety Tests/Evaluation/safety
	@echo "== Fresh probes measured once, never tuned or taught on:"
	-.build/release/mend eval Tests/Evaluation/understanding-heldout
	-.build/release/mend eval-safety Tests/Evaluation/safety-heldout
	@echo "== Written by separate writers who never saw the program, never taught on:"
	-.build/release/mend eval Tests/Evaluation/independent/understanding
	-.build/release/mend eval-safety Tests/Evaluation/independent/safety

bench: deps
	$(SWIFT) build -c release --product mend
	$(SWIFT) build -c release --product hello-foundation
	bash Tests/bench.sh .build/release

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mend
	install -m 0755 .build/release/mend $(DESTDIR)$(PREFIX)/bin/mend
	rm -rf $(DESTDIR)$(PREFIX)/share/mend/dialogs
	cp -R dialogs $(DESTDIR)$(PREFIX)/share/mend/dialogs

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mend
	rm -rf $(DESTDIR)$(PREFIX)/share/mend

clean:
	rm -rf .build
