// Block until every index is online (after migrate).
CALL db.awaitIndexes($seconds)
