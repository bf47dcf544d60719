// A whole backward trace in one statement (no as-of or depth: a trace has neither): the start
// nodes, the shared genealogy closure, and the answer with the stored state and places. A trace
// bigger than its page answers `whole` false and nothing else: trace/paged_backward reads its pages.
// include: trace/starts
// include: genealogy/closure_backward
// include: trace/page_items
// include: trace/unpaged
// include: trace/page
