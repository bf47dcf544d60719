MATCH (u:User {name: $user})
RETURN u {.name, .roles, .party, .display_name, .disabled, .created, .password_hash} AS user
