# certdesk: two commands set everything up on a fresh machine.
#   make run   - create .venv, install certdesk with its test extras, start the counter window
#   make test  - the same set-up, the Debian tools the tests need (PDF tools, zbar, Xvfb and the
#                X libraries of Qt's xcb platform), then ruff, mypy and pytest
.DEFAULT_GOAL := run
SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
# Python 3.12+ (None is immortal there; see README "Python version"). First match wins.
PYTHON ?= $(shell for p in python3.12 python3.13 \
	$$HOME/.pyenv/versions/3.12*/bin/python3.12 $$HOME/.pyenv/versions/3.13*/bin/python3.13; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null \
	  && { command -v $$p; break; }; done)
STAMP := $(VENV)/.installed

.PHONY: run test venv lint typecheck pytest bench samples screenshots references translations decision-table bundle deb debian-tools desktop-libs clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "certdesk needs Python 3.12 or 3.13 (python3.12 not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# With a screen: the counter window. Without one (a server, CI): an offscreen self-test of the
# window, then the command reference.
run: venv desktop-libs
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then $(BIN)/certdesk gui; else \
	  echo "no screen: opening the counter window offscreen (--selftest), then the commands"; \
	  QT_QPA_PLATFORM=offscreen $(BIN)/certdesk gui --selftest && $(BIN)/certdesk --help; fi

# Qt's xcb platform (a real X desktop) needs these three X libraries, which a fresh Debian lacks:
# without them `certdesk gui` stops with "Could not load the Qt platform plugin xcb".
XCB_LIBS := libxcb-cursor.so.0:libxcb-cursor0 libxcb-icccm.so.4:libxcb-icccm4 libxcb-keysyms.so.1:libxcb-keysyms1

desktop-libs:
	@missing=""; \
	for t in $(XCB_LIBS); do \
	  ldconfig -p 2>/dev/null | grep -q "$${t%%:*}" || missing="$$missing $${t##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing the X libraries Qt needs on a desktop:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get install -y -qq $$missing >/dev/null 2>&1 || { $$SUDO apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }; \
	  else echo "warning: install$$missing (Qt's xcb platform needs them)"; fi; \
	fi

debian-tools: desktop-libs
	@missing=""; \
	for t in pdftoppm:poppler-utils pdffonts:poppler-utils pdftotext:poppler-utils zbarimg:zbar-tools sqlite3:sqlite3 Xvfb:xvfb chromium:chromium chromedriver:chromium-driver; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t##*:}"; done; \
	if [ -n "$$missing" ]; then \
	  pkgs=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	  echo "installing Debian packages: $$pkgs"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$pkgs >/dev/null; \
	fi

# ruff, then the architecture's contracts (import-linter, [tool.importlinter] in pyproject.toml)
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy

pytest: venv debian-tools
	$(BIN)/pytest

test: venv debian-tools lint typecheck pytest

bench: venv
	@$(BIN)/python -c 'import gmssl' 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[bench]'
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

# PNG pages (80 dpi) and PDFs of every form filled with realistic values, to look at.
samples: venv debian-tools
	$(BIN)/python -m forms.samples out/samples 80

# PNGs of the counter window and the wizard pages (written by the GUI tests, offscreen).
screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/ui
	@ls out/screenshots

# Regenerate the reference images the tests compare with (after a deliberate layout change).
references: venv debian-tools
	$(BIN)/python -m forms.samples tests/forms/reference 40 nopdf

# The one-folder PyInstaller bundle of the counter application in dist/certdesk/ (build.spec).
bundle: venv
	$(BIN)/pyinstaller --noconfirm --log-level WARN build.spec
	@du -sh dist/certdesk

# A .deb of the bundle for Debian-based 信创 desktops (UOS, Kylin): /opt/certdesk, a launcher
# /usr/bin/certdesk, a desktop entry and an icon, the system's X libraries declared as Depends
# (resources/debian/). Written to dist/certdesk_VERSION_ARCH.deb.
deb: bundle
	@version=$$($(BIN)/python -c 'import app; print(app.__version__)'); \
	  sh resources/debian/build-deb.sh dist/certdesk \
	    dist/certdesk_$${version}_$$(dpkg --print-architecture).deb $$version

# After changing a tr() string in ui/: update the English .ts (new strings show as unfinished;
# translate them in the .ts or with pyside6-linguist), then compile the .qm the window loads.
translations: venv
	$(BIN)/pyside6-lupdate $$(find ui -name '*.py' | sort) -locations none -no-obsolete \
	  -source-language zh_CN -target-language en -ts resources/translations/certdesk_en.ts
	$(BIN)/pyside6-lrelease resources/translations/certdesk_en.ts -qm resources/translations/certdesk_en.qm

# After changing a catalog or the decision engine: the kind x requester x purpose table in docs/.
decision-table: venv
	$(BIN)/certdesk catalog table --all --output docs/decision-table.md

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .pytest_cache .ruff_cache
