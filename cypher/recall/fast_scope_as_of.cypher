// recall/fast_scope as of a moment ($as_of; no depth limit): the same record, from the closure of
// the links known then (genealogy/closure_forward_as_of), with each item's stored state only where
// it is also its state then (`state_known` at or before $as_of: nothing that bears on it was known
// later, recall/state_columns' `settled`). An item whose stored state is not settled gets the key '':
// the caller then computes the whole scope from the events (tracegraph/recalls/service.py
// `overview`), and nothing past the closure and its groups is read. The details and paths are as of
// $as_of too (recall/detail, recall/path).
// include: recall/fast_starts
CALL (starts) {
  UNWIND starts AS n
  // include: genealogy/closure_forward_as_of
  WITH DISTINCT m
  WITH m, m:Item AS item
  WITH m, item, CASE WHEN item THEN CASE WHEN m.state_known <= $as_of THEN coalesce(m.state_key, '') ELSE '' END
                END AS key, m.epc AS epc
  ORDER BY epc
  RETURN collect([m, item, key, epc]) AS reached
}
// include: recall/fast_answer
