// The oldest owed evaluation, taken under the queue lock (held to commit): one
// evaluation at a time across processes, each reading everything committed before it.
MERGE (q:RulesQueue {name: 'incremental'})
SET q.taken = datetime()
WITH q
MATCH (p:RulesPending)
RETURN p.id AS id, p.events AS events, p.types AS types, p.held AS held, p.actor AS actor,
       p.subject AS subject, p.request_id AS request_id, p.scope AS scope
ORDER BY p.at, p.id
LIMIT 1
