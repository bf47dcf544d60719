// The alerts an investigation is opened from (missing ids are simply not returned).
UNWIND $ids AS id
MATCH (a:Alert {id: id})
RETURN a.id AS id, a.rule AS rule, a.subject AS subject
