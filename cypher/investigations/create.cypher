CREATE (i:Investigation {id: $id, title: $title, description: $description, state: 'open', owner: $owner,
                         team: $team, members: $members, created: $now, created_by: $actor, updated: $now})
WITH i
CALL (i) {
  UNWIND $alerts AS alert
  MATCH (a:Alert {id: alert})
  MERGE (i)-[:OPENED_FROM]->(a)
}
RETURN i.id AS id
