// Data-quality findings (policy `flag`), linked to the events they are about.
UNWIND $rows AS r
CREATE (f:Finding {id: r.id, rule: r.rule, subject: r.subject, severity: r.severity, reason: r.reason,
                   event_ids: r.event_ids, created: datetime(), open: true})
WITH f, r
UNWIND r.event_ids AS event_id
MATCH (e:Event {event_id: event_id}) USING INDEX e:Event(event_id)
CREATE (f)-[:ABOUT]->(e)
