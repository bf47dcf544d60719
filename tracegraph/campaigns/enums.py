from enum import Enum


class Classification(str, Enum):
    """FDA recall class (21 CFR 7.3(m)), or an EU MDR field safety corrective action."""
    I = "I"  # noqa: E741  (the FDA class name; members and values are stored and in the API)
    II = "II"
    III = "III"
    FSCA = "FSCA"


class RecallType(str, Enum):
    removal = "removal"
    correction = "correction"
    advisory = "advisory"


class Depth(str, Enum):
    """21 CFR 7.46(a)(2)... how far down the chain the recall reaches."""
    wholesale = "wholesale"  # direct accounts only
    retail = "retail"  # direct accounts and every downstream site the data shows
    user = "user"  # the same, down to the user level


class State(str, Enum):
    open = "open"  # created, notices drafted
    in_progress = "in_progress"  # notices issued
    terminated = "terminated"  # closed with an e-signature: every unit accounted for


class NoticeState(str, Enum):
    draft = "draft"
    issued = "issued"
    acknowledged = "acknowledged"


class Disposition(str, Enum):
    returned = "returned"
    corrected = "corrected"
    destroyed = "destroyed"
    justified = "justified"  # accounted for otherwise, with a note saying why (e.g. implanted)


class Level(str, Enum):
    """Effectiveness check levels of 21 CFR 7.42(b)(3)."""
    A = "A"  # 100 % of consignees
    B = "B"  # more than 10 % and less than 100 %
    C = "C"  # 10 %
    D = "D"  # 2 %
    E = "E"  # none


class CheckResult(str, Enum):
    effective = "effective"  # received the notice and followed it
    not_received = "not_received"
    not_followed = "not_followed"
    no_answer = "no_answer"


class Report(str, Enum):
    cfr806 = "cfr806"  # 21 CFR 806.10 correction or removal report
    status = "status"  # 21 CFR 7.53 recall status report
    fsca = "fsca"  # EU MDR article 89 FSCA summary with the field safety notice


class Format(str, Enum):
    json = "json"
    pdf = "pdf"
    xlsx = "xlsx"
    html = "html"
