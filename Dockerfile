# Spark Control: the gateway, its dashboard and every first-party plugin, as uv.lock
# pins them. Multi-arch (aarch64 for DGX Spark, x86_64); runs as uid 1000 on port 9999
# with its data directory at /data (the StartOS service volume). No secret is baked in:
# configuration comes from the environment (see startos/ and docs).
#
#   docker buildx build --platform linux/arm64,linux/amd64 -t spark-control .
#
# The install steps are docker/install-gateway.sh, which CI also runs in a clean
# virtual environment, then docker/smoke_test.py.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# uv pinned, from PyPI; the lock file pins everything else.
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY core ./core
COPY plugins ./plugins
COPY ui ./ui
COPY docker ./docker
RUN ./docker/install-gateway.sh /opt/spark-control /usr/local/bin/python3
WORKDIR /
RUN /opt/spark-control/bin/python /src/docker/smoke_test.py

FROM ${PYTHON_IMAGE}
# openssh-client: ssh-keygen and ssh for operators; tini reaps children and forwards
# signals so the gateway shuts down cleanly.
RUN apt-get update \
    && apt-get install -y --no-install-recommends openssh-client tini \
    && rm -rf /var/lib/apt/lists/*
# A real passwd entry: OpenSSH tools refuse a uid without one.
RUN groupadd --gid 1000 spark \
    && useradd --uid 1000 --gid 1000 --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin spark \
    && mkdir -p /data \
    && chown spark:spark /data
# Same path as in the build stage: the environment's scripts name their interpreter.
COPY --from=build /opt/spark-control /opt/spark-control

ENV PATH=/opt/spark-control/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SPARK_CONTROL__GATEWAY__HOST=0.0.0.0 \
    SPARK_CONTROL__GATEWAY__PORT=9999 \
    SPARK_CONTROL__GATEWAY__DATA_DIR=/data

USER 1000:1000
WORKDIR /data
EXPOSE 9999
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9999/health', timeout=4)"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["spark-control", "serve"]
