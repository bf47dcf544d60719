"""Holds: freeze (block) or watch (flag) shipping of suspect stock."""
