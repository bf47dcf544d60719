// Tests: links as a release before `known` and `end_known` stored them (migration 0006 sets them).
MATCH ()-[x:IN|WAS_IN|INTO|WAS_INTO|HAS_ITEM]->()
REMOVE x.known, x.end_known
