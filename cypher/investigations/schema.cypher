// Investigations (issue 14): looked up by id; evidence files by their SHA-256.
CREATE CONSTRAINT investigation_id IF NOT EXISTS FOR (n:Investigation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT investigation_evidence_id IF NOT EXISTS FOR (n:InvestigationEvidence) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT investigation_finding_id IF NOT EXISTS FOR (n:InvestigationFinding) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT record_sequence_name IF NOT EXISTS FOR (n:RecordSequence) REQUIRE n.name IS UNIQUE;
CREATE INDEX investigation_state IF NOT EXISTS FOR (n:Investigation) ON (n.state);
CREATE INDEX investigation_created IF NOT EXISTS FOR (n:Investigation) ON (n.created);
CREATE INDEX investigation_evidence_sha256 IF NOT EXISTS FOR (n:InvestigationEvidence) ON (n.sha256);
