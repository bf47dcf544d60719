// One delivery of a notice through one channel, with every attempt.
MATCH (n:RecallNotice {id: $notice})
CREATE (d:NoticeDelivery {id: $id, campaign: n.campaign, notice: n.id, site: n.site, channel: $channel,
                          target: $target, state: $state, attempts: $attempts, log: $log, error: $error,
                          at: datetime($now)})
CREATE (n)-[:DELIVERED_BY]->(d)
