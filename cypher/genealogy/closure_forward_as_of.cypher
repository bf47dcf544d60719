// Fragment (included, never run alone; graph/queries.py `// include:`): genealogy/closure_forward
// as of $as_of: the nodes downstream of the start nodes `n` (each start included) through links
// known then (genealogy/known_then: also a link a later error declaration undid), one pruning
// var-length expand that tests each link as it goes (recall/fast_scope_as_of).
MATCH (n)-[links:INTO|HAS_ITEM|WAS_INTO*0..{{max_depth}}]->(m)
WHERE all(r IN links WHERE
  // include: genealogy/known_then
)
