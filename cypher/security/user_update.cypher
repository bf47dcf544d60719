// $changes holds only the properties to change.
MATCH (u:User {name: $user})
SET u += $changes
RETURN u.name AS name
