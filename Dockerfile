# The tracegraph API and worker image. Neo4j runs beside it (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    TRACEGRAPH_AUDIT_KEY_PATH=/var/lib/tracegraph/keys/audit-ed25519.pem \
    TRACEGRAPH_EPCIS_SCHEMA=/schema/epcis-json-schema.json
COPY pyproject.toml README.md ./
COPY api ./api
COPY core ./core
COPY graph ./graph
COPY cypher ./cypher
COPY loaders ./loaders
COPY tracegraph ./tracegraph
RUN pip install --no-cache-dir .
# The non-root user owns what it writes: the audit signing key (/var/lib/tracegraph, a volume:
# the key must outlive the container or the audit trail can no longer be verified) and /data
# (files to load). The EPCIS JSON Schema is not shipped (GS1/OpenEPCIS data): mount it at
# /schema (compose does); without it capture checks with tracegraph's own models and says so.
RUN useradd --create-home tracegraph \
 && mkdir -p /var/lib/tracegraph/keys /data /schema \
 && chown -R tracegraph:tracegraph /var/lib/tracegraph /data \
 && chmod 700 /var/lib/tracegraph/keys
VOLUME ["/var/lib/tracegraph", "/data"]
USER tracegraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz').status == 200 else 1)"
CMD ["tracegraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
