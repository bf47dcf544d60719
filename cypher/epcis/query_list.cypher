// Named queries; a partner ($party not null) lists only its own party's.
MATCH (q:EpcisQuery)
WHERE $party IS NULL OR q.party = $party
RETURN q.name AS name, q.query AS query, q.owner AS owner, q.party AS party, q.created AS created
ORDER BY q.name
