# aiops server image: Python 3.11 with the embedded models as a fallback; production uses Ollama.
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential cmake git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY aiops aiops
COPY agents agents
COPY tools tools
COPY graphs graphs
COPY uhub_sandbox uhub_sandbox
COPY widget widget
COPY server.py ./
# torch is pinned in pyproject.toml; production embeds with Ollama, the local model is the fallback.
RUN pip install --no-cache-dir -e .
ENV AIOPS_DATA_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["aiops", "serve", "--host", "0.0.0.0", "--port", "8000"]
