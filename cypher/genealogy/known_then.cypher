// Fragment (included, never run alone; graph/queries.py `// include:`): a predicate, true when
// genealogy link `r` was a link at $as_of (not null): known by then (`known`) and not yet undone
// (`retracted`). genealogy/known_as_of is the same with $as_of null meaning today; a statement that
// runs only as of a moment tests this alone (recall/path's search through the links known then:
// half the time of the search testing known_as_of; genealogy/closure_forward_as_of).
r.known <= $as_of AND (r.retracted IS NULL OR r.retracted > $as_of)
