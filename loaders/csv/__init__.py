"""Mapping-driven CSV/Excel loader: tabular exports become canonical EPCIS events."""
