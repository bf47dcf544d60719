MATCH (n:BackupRestoring)
CALL (n) {
  REMOVE n:BackupRestoring, n.backup_restore_id
} IN TRANSACTIONS OF 10000 ROWS
