from enum import Enum


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    def raised(self, steps: int) -> "Severity":
        order = list(Severity)
        return order[max(0, min(len(order) - 1, self.rank + steps))]


class State(str, Enum):
    open = "open"
    acknowledged = "acknowledged"
    investigating = "investigating"
    resolved = "resolved"
    false_positive = "false_positive"


# Who may follow whom; false_positive closes from any live state.
TRANSITIONS: dict[State, set[State]] = {
    State.open: {State.acknowledged, State.false_positive},
    State.acknowledged: {State.investigating, State.false_positive},
    State.investigating: {State.resolved, State.false_positive},
    State.resolved: set(),
    State.false_positive: set(),
}
CLOSED = {State.resolved, State.false_positive}
