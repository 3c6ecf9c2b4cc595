# syntax=docker/dockerfile:1
# PromptSentinel production image.
#
#   docker build -t promptsentinel/promptsentinel:0.1.0 .
#   docker run --rm -p 8080:8080 -p 9090:9090 promptsentinel/promptsentinel:0.1.0
#
# Two stages: the builder installs the package (with its model files and pattern data,
# package data under src/prompt_sentinel/) into a virtual environment and smoke-tests it;
# the runtime stage copies only that environment, runs as a non-root user (uid/gid 1000,
# matching the Kubernetes securityContext) and has no compiler, no curl and no pip cache.
# Every dependency installs from binary wheels (linux/amd64; see docs/DEPLOYMENT.md).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
# Optional extras: otel (ENABLE_TRACING) and profiling (ENABLE_PROFILING, refused in production).
ARG EXTRAS=otel,profiling
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
# A non-editable install copies the package data (models/*, patterns/*.yaml) into the venv.
# DL3013: this installs the project itself; its dependency ranges live in pyproject.toml.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[${EXTRAS}]"
# Fail the build, not the first request, when the model or the patterns are missing:
# this builds the whole engine with default settings and screens one prompt.
WORKDIR /tmp
RUN promptsentinel detect "What is the capital of France?" > /dev/null

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="PromptSentinel" \
      org.opencontainers.image.description="Self-hosted firewall for LLM prompts" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 1000 promptsentinel \
 && useradd --system --uid 1000 --gid 1000 --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin promptsentinel
COPY --from=builder /opt/venv /opt/venv
COPY deploy/docker/healthcheck.py /usr/local/bin/promptsentinel-healthcheck
COPY deploy/scripts/ /app/scripts/
# config/config.yaml and config/performance.yaml are read relative to the working
# directory (/app/config): mount a ConfigMap or volume there to replace them.
COPY config/ /app/config/
WORKDIR /app
RUN chmod 0755 /usr/local/bin/promptsentinel-healthcheck /app/scripts/*.sh \
 && mkdir -p /app/logs /var/log/promptsentinel \
 && chown 1000:1000 /app/logs /var/log/promptsentinel
# Production settings; every one can be overridden at run time (docs/CONFIGURATION.md).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    ENVIRONMENT=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    METRICS_PORT=9090 \
    LOG_LEVEL=INFO
USER 1000:1000
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "/usr/local/bin/promptsentinel-healthcheck", "/health"]
STOPSIGNAL SIGTERM
CMD ["promptsentinel", "serve"]
