// Test only: the rows given, back as sent (graph.db parameters round trip).
UNWIND $rows AS row
RETURN row
