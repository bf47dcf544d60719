// Whether any hold is active. Without one (the usual case) a capture skips holds/check,
// which would be sent every shipping event's objects only to stop at its first line.
MATCH (h:Hold) WHERE h.released IS NULL
RETURN count(h) > 0 AS active
