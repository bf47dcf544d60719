MATCH (p:RulesPending {id: $id}) USING INDEX p:RulesPending(id)
DELETE p
