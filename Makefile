# wxlogin developer commands. `make test` is what CI runs.
.PHONY: demo test bench soak build

demo:
	go run ./cmd/wxlogin demo

build:
	CGO_ENABLED=0 go build -trimpath -o bin/wxlogin ./cmd/wxlogin

test:
	scripts/test.sh

bench:
	scripts/bench.sh
	scripts/bench-reports.sh
	scripts/bench-delete.sh

soak:
	scripts/soak.sh
