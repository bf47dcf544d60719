// Tests: the graph a loader builds (not the audit trail, alerts or schema bookkeeping), for
// comparing the bulk load with the streaming one: nodes with labels and properties, and
// relationships by the element ids of their ends.
MATCH (n)
WHERE NOT (n:AuditRecord OR n:AuditHead OR n:Alert OR n:SchemaMigration OR n:Job OR n:RulesPending
           OR n:AlertConfig OR n:RulesConfig OR n:RulesQueue OR n:AlertStep)
RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS props,
       COLLECT { MATCH (n)-[r]->(m) RETURN [type(r), elementId(m), properties(r)] } AS out
