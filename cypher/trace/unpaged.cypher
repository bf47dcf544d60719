// Fragment (included, never run alone): after trace/page_items in trace/fast_forward,
// fast_backward: the whole trace is the page, or nothing is read further (`whole` false sends
// the caller to trace/paged_forward, paged_backward).
WITH r, l, lot_nodes, whole, CASE WHEN whole THEN items ELSE [] END AS items, [] AS ordered
