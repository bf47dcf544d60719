// Fragment (included, never run alone; graph/queries.py `// include:`): the genealogy closure
// upstream of the start nodes `n` (each start included), the mirror of genealogy/closure_forward
// (genealogy/reach_backward, genealogy/links_backward, trace/fast_backward).
MATCH (n)<-[:INTO|HAS_ITEM*0..{{max_depth}}]-(m)
