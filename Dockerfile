# syntax=docker/dockerfile:1
# Kindling in a container: the locked dependencies (hash-checked), a non-root user, data in the
# /data volume. CI runs the RUN steps marked "smoke" outside Docker (.ci/container-smoke), so
# what this file installs is tested even where Docker cannot run.
#
#   docker build -t kindling .
#   docker run --env-file .env -v kindling-data:/data kindling
#   docker run --rm -v kindling-data:/data kindling kindling backup /data/backup.sqlite3

# ------------------------------------------------------------------ build: a venv in /opt
FROM python:3.11-slim-bookworm AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/kindling

WORKDIR /src
COPY requirements/runtime.txt requirements/runtime.txt
# smoke: the runtime lock alone, every file checked against its hash (no resolver surprises).
RUN python -m venv "$VIRTUAL_ENV" \
    && "$VIRTUAL_ENV/bin/python" -m pip install --quiet --require-hashes \
        --requirement requirements/runtime.txt

COPY pyproject.toml README.md ./
COPY bot bot
COPY scheduler scheduler
COPY storage storage
# smoke: the project itself, built by the locked setuptools, adding no dependency of its own.
RUN "$VIRTUAL_ENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation .

# ------------------------------------------------------------------ run: venv + data only
FROM python:3.11-slim-bookworm

# Debian's tzdata gives the system its zone files (TZ, /etc/localtime); Kindling's own zone
# math uses Python's zoneinfo, backed by the same database. The release is the base image's,
# so the package is not pinned to a version that Debian's security updates would remove.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 kindling \
    && useradd --system --uid 10001 --gid kindling --home-dir /data --shell /usr/sbin/nologin \
        kindling \
    && install --directory --owner=kindling --group=kindling --mode=0700 /data

COPY --from=build /opt/kindling /opt/kindling

ENV PATH=/opt/kindling/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TZ=UTC \
    DATABASE_URL=sqlite:////data/kindling.sqlite3 \
    WEBHOOK_LISTEN=0.0.0.0 \
    WEBHOOK_PORT=8443 \
    HEALTH_LISTEN=127.0.0.1 \
    HEALTH_PORT=9464

# Numeric, so that the host and Kubernetes (runAsNonRoot) can tell it is not root.
USER 10001:10001
# .env is read from the working directory; in a container settings come from the environment.
WORKDIR /data
VOLUME ["/data"]
# The webhook (only with WEBHOOK_URL set; the bot long-polls otherwise).
EXPOSE 8443

# /healthz on HEALTH_PORT: exit 0 healthy, 1 not. start-period covers the schema upgrade.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["kindling", "healthcheck"]

# SIGTERM stops the bot cleanly within 10 seconds (compose.yaml allows it 15 before SIGKILL).
STOPSIGNAL SIGTERM
CMD ["kindling"]
