// CAPA (issue 14): looked up by id; the overdue list by action due date.
CREATE CONSTRAINT capa_id IF NOT EXISTS FOR (n:Capa) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT capa_action_id IF NOT EXISTS FOR (n:CapaAction) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT capa_verification_id IF NOT EXISTS FOR (n:CapaVerification) REQUIRE n.id IS UNIQUE;
CREATE INDEX capa_state IF NOT EXISTS FOR (n:Capa) ON (n.state);
CREATE INDEX capa_action_due IF NOT EXISTS FOR (n:CapaAction) ON (n.due);
