from enum import Enum


class State(str, Enum):
    open = "open"
    in_progress = "in_progress"
    effectiveness_check = "effectiveness_check"
    closed = "closed"


# A check that finds the actions not effective sends the CAPA back to in_progress.
TRANSITIONS: dict[State, set[State]] = {
    State.open: {State.in_progress},
    State.in_progress: {State.effectiveness_check},
    State.effectiveness_check: {State.in_progress, State.closed},
    State.closed: set(),
}


class ActionKind(str, Enum):
    corrective = "corrective"
    preventive = "preventive"


class ActionStatus(str, Enum):
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    cancelled = "cancelled"


ACTION_TRANSITIONS: dict[ActionStatus, set[ActionStatus]] = {
    ActionStatus.planned: {ActionStatus.in_progress, ActionStatus.done, ActionStatus.cancelled},
    ActionStatus.in_progress: {ActionStatus.done, ActionStatus.cancelled},
    ActionStatus.done: set(),
    ActionStatus.cancelled: set(),
}
ACTION_OPEN = {ActionStatus.planned, ActionStatus.in_progress}


class Result(str, Enum):
    effective = "effective"
    not_effective = "not_effective"
