// Benchmark check (tracegraph bench serial): how many events the graph holds, to tell whether
// it holds exactly the generated set the relational peer loads (a count-store read).
MATCH (e:Event)
RETURN count(e) AS events
