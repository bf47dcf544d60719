// Durable jobs: looked up by id, and taken in due order by status.
CREATE CONSTRAINT job_id IF NOT EXISTS FOR (n:Job) REQUIRE n.id IS UNIQUE;
CREATE INDEX job_status_due IF NOT EXISTS FOR (n:Job) ON (n.status, n.run_at);
