// The database floor of `tracegraph bench serial`: one round trip through the driver, no work.
RETURN 1 AS one
