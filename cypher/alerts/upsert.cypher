// One open alert per rule and subject (`open_key`, removed when it closes):
// re-detection updates evidence, grade and team; `run` marks what this run saw.
UNWIND $rows AS r
MERGE (a:Alert {open_key: r.rule + '|' + r.subject})
ON CREATE SET a.id = r.id, a.rule = r.rule, a.subject = r.subject, a.state = 'open', a.created = $now,
              a.detections = 0, a._new = true
SET a.events = r.events, a.detail = r.detail, a.evidence_time = r.time, a.severity = r.severity,
    a.base_severity = r.base_severity, a.grade_reason = r.grade_reason, a.team = r.team,
    a.product_line = r.product_line, a.region = r.region, a.last_seen = $now, a.updated = $now,
    a.detections = a.detections + 1, a.run = $run
WITH a, coalesce(a._new, false) AS created
REMOVE a._new
RETURN a.id AS id, a.rule AS rule, a.subject AS subject, a.severity AS severity, a.team AS team, created
