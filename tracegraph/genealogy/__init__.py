"""Genealogy: what a serial or lot was made from (backward) or went into (forward)."""
