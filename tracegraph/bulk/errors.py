from core.errors import TracegraphError


class BulkRefused(TracegraphError):
    """The bulk load cannot start (non-empty database, remote Neo4j, bad input): nothing was written."""
