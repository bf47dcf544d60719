// Fragment (included, never run alone): `ordered`, the first $limit + 1 items of a trace's
// closure `m` in epc order after $after (the root excluded), for trace/paged_forward,
// paged_backward, where it is the first subquery: Community's slotted runtime copies the
// calling row into every row of a subquery, and the sort buffers its rows, so a subquery called
// after the closure was collected counted the whole item list once per buffered row (a
// 1,000-serial page of a 3,000-serial trace took 169 MB; a 10,000-serial page of a 42k trace
// ran out of transaction memory).
WITH DISTINCT m
WITH m WHERE m:Item AND m.epc <> $epc AND ($after IS NULL OR m.epc > $after)
ORDER BY m.epc
LIMIT $limit + 1
RETURN collect(m) AS ordered
