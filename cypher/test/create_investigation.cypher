// Tests: an investigation node as issue 14 section 1 makes them (built on another branch).
CREATE (:Investigation {id: $id})
