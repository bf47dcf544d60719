// The outcome of one delivery (all its attempts), with each attempt logged.
MATCH (d:Delivery {id: $id})
SET d.state = $state, d.attempts = d.attempts + size($attempts), d.updated = $now,
    d.last_status = $attempts[-1].status, d.last_error = $attempts[-1].error
WITH d
UNWIND $attempts AS t
CREATE (d)-[:ATTEMPT]->(:DeliveryAttempt {n: t.n, at: t.at, status: t.status, error: t.error,
                                          seconds: t.seconds})
