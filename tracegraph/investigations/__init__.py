"""Investigations: why something went wrong, with subjects, evidence, findings and a root cause."""
