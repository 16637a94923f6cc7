# syntax=docker/dockerfile:1
# Two targets: `gateway` (slim, CPU) and `model-server` (CUDA runtime, for a GPU node).
#   docker build --target gateway -t guardchat-gateway .
#   docker build --target model-server -t guardchat-model-server .
# No secrets are baked in: pass GUARDCHAT_* variables at run time.

FROM python:3.11-slim AS gateway
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY guards guards
COPY graphs graphs
COPY data data
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
 && pip install . \
 && useradd --create-home --uid 10001 guardchat && mkdir -p /app/var && chown guardchat /app/var
USER guardchat
# Bake the derived models (encoder export, guard and intent classifiers) into the image.
RUN python -m service.prepare
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
CMD ["guardchat", "serve", "--host", "0.0.0.0", "--port", "8000"]

FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS model-server
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 PIP_NO_CACHE_DIR=1 \
    GUARDCHAT_ENGINE=vllm
RUN apt-get update && apt-get install -y --no-install-recommends python3.11 python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service service
COPY guards guards
COPY graphs graphs
# vLLM brings the CUDA build of torch it was built against.
RUN python3.11 -m pip install '.[vllm]' \
 && useradd --create-home --uid 10001 guardchat && mkdir -p /app/var && chown guardchat /app/var
USER guardchat
EXPOSE 8001
HEALTHCHECK --interval=15s --timeout=3s --start-period=300s \
  CMD python3.11 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8001/health').status != 200)"
# Mount the model (and adapter) read-only and point GUARDCHAT_MODEL / GUARDCHAT_ADAPTER at them.
CMD ["guardchat", "model-server", "--host", "0.0.0.0", "--port", "8001", "--device", "cuda"]
