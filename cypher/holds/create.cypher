CREATE (h:Hold {id: $id, kind: $kind, target: $target, policy: $policy, reason: $reason, derived: $derived,
                created: $now, created_by: $actor, items: 0, objects: 0})
RETURN h.id AS id
