UNWIND $rows AS row
MATCH (a:BackupRestoring {backup_restore_id: row.start})
MATCH (b:BackupRestoring {backup_restore_id: row.end})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
