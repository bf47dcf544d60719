// Webhook notifications to send (delivered after commit by alerts.webhooks.deliver_pending).
UNWIND $rows AS r
MATCH (a:Alert {id: r.alert})
CREATE (a)-[:NOTIFIED]->(:Delivery {id: r.id, url: r.url, payload: r.payload, state: 'pending',
                                    attempts: 0, created: $now})
