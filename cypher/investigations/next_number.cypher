// The next number of a yearly record sequence (INV-2026-..., CAPA-2026-...). The SET locks
// the sequence node, so concurrent creators get distinct numbers.
MERGE (s:RecordSequence {name: $sequence})
ON CREATE SET s.value = 0
SET s.value = s.value + 1
RETURN s.value AS value
