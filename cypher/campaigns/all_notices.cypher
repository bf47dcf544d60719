// Notices across campaigns for internal readers (drafts too), filtered, newest campaign first, one page.
MATCH (c:RecallCampaign)-[:HAS_NOTICE]->(n:RecallNotice)
WHERE ($campaign IS NULL OR c.id = $campaign)
  AND ($party IS NULL OR n.party = $party)
  AND ($site IS NULL OR n.site = $site)
WITH c, n ORDER BY c.created DESC, c.id, n.site
WITH collect([c, n]) AS rows
RETURN size(rows) AS total,
       [r IN rows[$offset..$offset + $limit] |
        {campaign: {id: r[0].id, classification: r[0].classification, type: r[0].type, reason: r[0].reason,
                    action: r[0].action, state: r[0].state},
         notice: properties(r[1])}] AS page
