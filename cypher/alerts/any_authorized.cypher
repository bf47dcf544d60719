// Is there any authorization at all (CHANNEL_MISMATCH judges only managed shippers by default)?
RETURN EXISTS { ()-[:AUTHORIZED]->() } AS authorized
