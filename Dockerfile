# The tracegraph API. Neo4j runs beside it (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY api ./api
COPY core ./core
COPY graph ./graph
COPY cypher ./cypher
COPY loaders ./loaders
COPY tracegraph ./tracegraph
RUN pip install --no-cache-dir .
RUN useradd --create-home tracegraph
USER tracegraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["uvicorn", "api.main:app", "--host", "0.0.0.0", "--port", "8000"]
