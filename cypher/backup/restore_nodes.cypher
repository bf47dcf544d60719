// Nodes keep their backup id (and a marker label) until the relationships are linked.
UNWIND $rows AS row
CREATE (n:BackupRestoring:$(row.labels))
SET n = row.props, n.backup_restore_id = row.id
