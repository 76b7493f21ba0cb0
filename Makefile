# The course's commands. `make lab` starts the course; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(abspath $(VENV))/bin:$(PATH)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
PORT ?= 8888

.PHONY: setup lab release test test-fast demo bench bench-autograde notebooks model system-deps clean autograde

# Python packages into .venv at the repo root; skipped when pyproject.toml has not changed.
setup: $(STAMP)
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	$(PY) -m course install-kernel-extension
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages the browser tests need (Chromium). Run as root, or through sudo.
system-deps:
	bash scripts/install-system-deps.sh

# Rebuild the source notebooks from their Markdown (after editing a .md or a bank).
notebooks: setup
	$(PY) -m course build

# After a lexicon, detector or labelled-set edit: the anchor cache and the learned layer's weights.
model: setup
	$(PY) -m autograder.detectors
	$(PY) -m autograder.train

# The student versions, released into the local exchange so the Assignment List can fetch them.
release: setup
	nbgrader generate_assignment '*' --force
	for a in $$(ls source); do nbgrader release_assignment "$$a" --force; done

lab: release
	bash scripts/lab.sh --port=$(PORT)

test: setup
	$(PY) -m pytest

# Everything but the slow nbgrader, kernel and browser tests: for a quick loop while editing.
test-fast: setup
	$(PY) -m pytest -m "not slow and not browser"

demo: setup
	$(PY) scripts/demo.py

# Speed, validity and readability, written into docs/ (a few minutes; the corpus benchmark needs ../shared/eval).
bench: setup
	$(PY) bench/bench_checker.py
	$(PY) bench/eval_detectors.py
	$(PY) bench/corpus_ceiling.py
	$(PY) bench/eval_independent.py
	$(PY) bench/eval_gaming.py
	$(PY) bench/readability.py
	$(PY) bench/bench_notebooks.py

# nbgrader's autograde against the parallel command on synthetic classes (hours at the default 200 students
# for every assignment; e.g. make bench-autograde ARGS="--assignments m1_empathy").
bench-autograde: setup
	$(PY) bench/bench_autograde.py $(ARGS)

# Autograde a whole class in parallel, with progress and a summary: make autograde A=m1_empathy [JOBS=2]
autograde: setup
	@test -n "$(A)" || { echo "Name the assignment: make autograde A=m1_empathy"; exit 2; }
	$(PY) -m autograder autograde $(A) $(if $(JOBS),--jobs $(JOBS))

# A class report for one assignment (HTML with plots, and CSV) in reports/$(A)/: make report A=m1_empathy
.PHONY: report
report: setup
	@test -n "$(A)" || { echo "Name the assignment: make report A=m1_empathy"; exit 2; }
	$(PY) -m autograder report $(A)

clean:
	rm -rf release submitted autograded feedback exchange gradebook.db grades.csv artifacts demo
