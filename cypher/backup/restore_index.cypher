CREATE INDEX backup_restoring IF NOT EXISTS FOR (n:BackupRestoring) ON (n.backup_restore_id);
CALL db.awaitIndexes(300);
