# Two commands a newcomer needs: `make serve` (set up, then run the app) and `make test` (set up,
# then run every test suite). Both install whatever is missing and are safe to run again.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: serve build test bench host setup setup-test

## Set up, then serve the app with live reload at http://127.0.0.1:8080; its /api/query is the
## project's own server (limiter and cache in front of arXiv) on 127.0.0.1:8081.
serve: setup
	scripts/serve.sh

## Release build of the app into dist/.
build: setup
	trunk build --release

## Set up, then run every test suite: native core and server, browser unit tests, end to end.
test: setup-test
	scripts/test.sh

## Browser benchmark of the release build; prints a JSON report kept under target/.
bench: setup-test build
	cargo build --profile server -p daily-papers-server
	node tests/bench/bench.mjs

## Build the release app and serve it with the project's own arXiv endpoint.
host: build
	cargo run --profile server -p daily-papers-server -- --dist dist

setup:
	scripts/setup.sh app

setup-test:
	scripts/setup.sh test
