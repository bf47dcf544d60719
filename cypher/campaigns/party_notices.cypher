// One party's issued notices across campaigns (never drafts), filtered, newest campaign first, one page.
MATCH (n:RecallNotice)
USING INDEX n:RecallNotice(party)
WHERE n.party = $party AND n.state <> 'draft' AND ($site IS NULL OR n.site = $site)
MATCH (c:RecallCampaign)-[:HAS_NOTICE]->(n)
WHERE $campaign IS NULL OR c.id = $campaign
WITH c, n ORDER BY c.created DESC, c.id, n.site
WITH collect([c, n]) AS rows
RETURN size(rows) AS total,
       [r IN rows[$offset..$offset + $limit] |
        {campaign: {id: r[0].id, classification: r[0].classification, type: r[0].type, reason: r[0].reason,
                    action: r[0].action, state: r[0].state},
         notice: properties(r[1])}] AS page
