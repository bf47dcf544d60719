// A page of a backward trace bigger than one page (or after $after): the page's items first, by
// walking the closure in a subquery that imports nothing (trace/page_order), then the closure
// again for the whole trace's lots, and the page with the stored state and places.
CALL () {
  // include: trace/starts
  // include: genealogy/closure_backward
  // include: trace/page_order
}
CALL () {
  // include: trace/starts
  // include: genealogy/closure_backward
  // include: trace/page_items
  RETURN r, l, items, lot_nodes, whole
}
// include: trace/page
