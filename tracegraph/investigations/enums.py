from enum import Enum


class State(str, Enum):
    open = "open"
    in_progress = "in_progress"
    root_cause_identified = "root_cause_identified"
    closed = "closed"


# Who may follow whom. A root cause that does not hold up sends the work back to in_progress.
TRANSITIONS: dict[State, set[State]] = {
    State.open: {State.in_progress},
    State.in_progress: {State.root_cause_identified},
    State.root_cause_identified: {State.in_progress, State.closed},
    State.closed: set(),
}


class SubjectKind(str, Enum):
    serial = "serial"
    lot = "lot"
    site = "site"
    supplier = "supplier"


# The EPC URN each subject kind must canonicalise to.
SUBJECT_PREFIX = {
    SubjectKind.serial: "urn:epc:id:sgtin:",
    SubjectKind.lot: "urn:epc:class:lgtin:",
    SubjectKind.site: "urn:epc:id:sgln:",
    SubjectKind.supplier: "urn:epc:id:pgln:",
}


class LinkKind(str, Enum):
    event = "event"  # an EPCIS event, by its eventID
    alert = "alert"  # an alert, by its id
    scope = "scope"  # a saved recall scope, by its id
    hold = "hold"  # a hold, by its id


class EvidenceKind(str, Enum):
    file = "file"
    trace = "trace"  # a trace answer, stored as a JSON file
    event = "event"
    alert = "alert"
    scope = "scope"
    hold = "hold"


class Direction(str, Enum):
    forward = "forward"
    backward = "backward"
