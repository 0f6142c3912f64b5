# The portal image: build with the Swift toolchain, run on a slim Debian with the three C libraries.
FROM swift:6.0-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libmicrohttpd-dev libsodium-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product hotdesk --static-swift-stdlib \
    && cp "$(swift build -c release --show-bin-path)/hotdesk" /usr/local/bin/hotdesk

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libmicrohttpd12 libsodium23 curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app hotdesk
WORKDIR /app
COPY --from=build /usr/local/bin/hotdesk /usr/local/bin/hotdesk
COPY Resources ./Resources
COPY migrations ./migrations
USER hotdesk
EXPOSE 8080
ENV HOTDESK_LISTEN=0.0.0.0:8080 HOTDESK_RESOURCES=/app/Resources HOTDESK_MIGRATIONS=/app/migrations
CMD ["hotdesk", "serve"]
