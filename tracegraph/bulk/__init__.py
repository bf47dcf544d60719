"""Bulk backfill: validated EPCIS files into an EMPTY database through Neo4j's offline importer."""
