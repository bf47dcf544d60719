// The rules configuration overlay stored by PUT /v1/rules (one node).
MATCH (c:RulesConfig {id: 'current'})
RETURN c.body AS body
