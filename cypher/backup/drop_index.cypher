DROP INDEX backup_restoring IF EXISTS;
