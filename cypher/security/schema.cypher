// Users, API keys and the audit chain. Applied with the main schema at start-up.
CREATE CONSTRAINT user_name IF NOT EXISTS FOR (n:User) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.seq IS UNIQUE;
CREATE CONSTRAINT audit_head IF NOT EXISTS FOR (n:AuditHead) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_subject IF NOT EXISTS FOR (n:AuditRecord) ON (n.subject);
CREATE INDEX audit_actor IF NOT EXISTS FOR (n:AuditRecord) ON (n.actor);
CREATE INDEX audit_time IF NOT EXISTS FOR (n:AuditRecord) ON (n.time);
