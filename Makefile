# make test needs only Go and root on a Debian machine: the Redis (with a
# Sentinel), the Redis Cluster and the PostgreSQL its tests use are installed
# if missing, started on free ports and stopped afterwards by
# deployments/test-redis.sh and test-postgres.sh; the console's browser tests
# get Chromium, a Chinese font and poppler from deployments/test-browser.sh.

.PHONY: test lint vet fmt-check vulncheck run bench

# Screenshots and the printed notice of the browser tests are kept under
# test-output/ for review.
test: lint
	mkdir -p test-output
	bash deployments/test-browser.sh bash deployments/test-redis.sh bash deployments/test-postgres.sh \
		go test -race -count=1 -artifacts -outputdir $(CURDIR)/test-output ./...
	bash deployments/docker/build.sh check && cd deployments/k8s/check && go test -count=1 ./...

lint: vet fmt-check vulncheck

vet:
	go vet ./...

fmt-check:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt: these files are not formatted (run gofmt -w on them):" >&2; \
		echo "$$unformatted" >&2; \
		exit 1; \
	fi

# govulncheck needs its database over the network; where it cannot be
# reached the script prints SKIPPED and why, and passes (see the script).
vulncheck:
	bash deployments/vulncheck.sh

run:
	go run ./cmd/policybot serve

bench:
	bash deployments/test-postgres.sh go test -run '^$$' -bench . -benchmem ./...
