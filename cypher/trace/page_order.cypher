// Fragment (included, never run alone): `ordered`, the first $limit + 1 items of a trace's
// closure `m` in epc order after $after (the root excluded): trace/fast_forward, fast_backward
// walk the closure again for it when the trace is bigger than a page, so that the sort buffers
// rows of a node each (a list in each buffered row counts against the transaction's memory
// once per row: a 10,000-serial page of a 40k trace ran out of it).
WITH DISTINCT m
WITH m WHERE m:Item AND m.epc <> $epc AND ($after IS NULL OR m.epc > $after)
ORDER BY m.epc
LIMIT $limit + 1
RETURN collect(m) AS ordered
