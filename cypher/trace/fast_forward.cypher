// A whole forward trace in one statement (no as-of or depth: a trace has neither): the start
// nodes, the shared genealogy closure, and the page with the stored state and places.
// include: trace/starts
// include: genealogy/closure_forward
// include: trace/page_items
CALL (whole) {
  WITH whole WHERE NOT whole
  // include: trace/starts
  // include: genealogy/closure_forward
  // include: trace/page_order
}
// include: trace/page
