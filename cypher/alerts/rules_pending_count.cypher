MATCH (p:RulesPending)
RETURN count(p) AS pending
