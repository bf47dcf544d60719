// Everything that happened to an investigation, its CAPAs and the alerts it came from, in time order.
MATCH (i:Investigation {id: $id})
CALL (i) {
  MATCH (i)-[:LOGGED]->(e:CaseEntry)
  RETURN e {.*, subject: i.id} AS entry
  UNION ALL
  MATCH (i)<-[:ADDRESSES]-(c:Capa)-[:LOGGED]->(e:CaseEntry)
  RETURN e {.*, subject: c.id} AS entry
  UNION ALL
  MATCH (i)-[:OPENED_FROM]->(a:Alert)
  RETURN {at: a.created, by: 'system', action: 'alert.opened', n: -1, subject: a.id,
          summary: a.rule + ' on ' + a.subject + ' (' + a.severity + ')'} AS entry
  UNION ALL
  MATCH (i)-[:OPENED_FROM]->(a:Alert)-[:STEP]->(s:AlertStep)
  RETURN {at: s.at, by: s.by, action: 'alert.' + s.to, n: 0, subject: a.id, reason: s.reason,
          summary: 'alert ' + s.from + ' -> ' + s.to} AS entry
}
RETURN entry
ORDER BY entry.at, entry.n
