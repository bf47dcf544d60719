MERGE (c:RulesConfig {id: 'current'})
SET c.body = $body, c.updated = datetime(), c.updated_by = $actor
