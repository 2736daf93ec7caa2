# syntax=docker/dockerfile:1
#
# wxlogin's container image: a static binary (migrations and pages are
# embedded in it) on distroless, running as the non-root user 65532.
#
#   docker build -t ghcr.io/wxlogin/wxlogin:0.1.0 .
#   docker run --rm -p 8080:8080 ghcr.io/wxlogin/wxlogin:0.1.0 demo

FROM golang:1.26.8-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/wxlogin ./cmd/wxlogin

# No shell, no package manager: CA certificates and /etc/passwd only.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/wxlogin /usr/local/bin/wxlogin
USER 65532:65532
# `wxlogin demo` keeps its SQLite file and local secrets in ./data here.
WORKDIR /home/nonroot
# HTTP (WXLOGIN_HTTP_ADDR) and Prometheus metrics (WXLOGIN_METRICS_ADDR).
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/wxlogin"]
CMD ["serve"]
