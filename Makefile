# The two commands: `make run` and `make test`. Both install what is missing first.
.PHONY: run test setup fmt lint bench quality

CARGO ?= cargo

setup:
	@scripts/setup

run: setup
	$(CARGO) build --release --bin lector
	./target/release/lector serve --demo

test: setup
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	scripts/test

quality:
	$(CARGO) xtask quality

bench:
	$(CARGO) xtask bench
