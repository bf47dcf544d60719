"""Binding rules and data-quality checks run inside every ingest transaction."""
