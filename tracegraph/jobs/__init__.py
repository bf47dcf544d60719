"""Durable jobs: persisted in Neo4j, taken with leases by any number of worker processes."""
