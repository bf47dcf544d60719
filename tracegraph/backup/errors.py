"""Backup errors (problem types)."""
from core.errors import TracegraphError


class BackupError(TracegraphError):
    status = 422
    slug = "invalid-backup"
    title = "Invalid backup file"

