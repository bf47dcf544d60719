// Fragment (included, never run alone; graph/queries.py `// include:`): the genealogy closure
// downstream of the start nodes `n` (each start included), one pruning var-length expand: the
// one closure every fast walk shares (genealogy/reach_forward, genealogy/links_forward, trace/fast_forward).
MATCH (n)-[:INTO|HAS_ITEM*0..{{max_depth}}]->(m)
