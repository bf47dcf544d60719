"""Anomaly rules: one Cypher file per rule (cypher/rules/), run on ingest and as a full sweep."""
