MATCH (c:CompanyPrefix)
RETURN collect(c.prefix) AS prefixes
