// Fragment (included, never run alone; graph/queries.py `// include:`): `live`, true when some
// link a later error declaration undid (a WAS_INTO copy, ingest/declare_errors) was still a link
// at $as_of (genealogy/known_as_of; false when $as_of is null). Without one, the links known at
// $as_of are a part of today's links, so a shortest path of today that uses only links known then
// is a shortest path then too (recall/path). Reads the WAS_INTO links only (few: error declarations).
WITH *, $as_of IS NOT NULL AND EXISTS {
  MATCH ()-[r:WAS_INTO]->()
  WHERE
  // include: genealogy/known_as_of
} AS live
