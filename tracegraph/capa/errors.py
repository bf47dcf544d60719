from core.errors import Conflict, NotFound


class CapaNotFound(NotFound):
    pass


class InvalidTransition(Conflict):
    slug = "invalid-capa-transition"
    title = "Invalid CAPA transition"


class InvalidActionStep(Conflict):
    slug = "invalid-capa-action-step"
    title = "Invalid CAPA action status change"


class CapaClosed(Conflict):
    slug = "capa-closed"
    title = "CAPA closed"


class ActionsOutstanding(Conflict):
    slug = "capa-actions-outstanding"
    title = "CAPA actions outstanding"


class NotVerifiedEffective(Conflict):
    slug = "capa-not-verified-effective"
    title = "CAPA effectiveness not verified"


class NotCheckingEffectiveness(Conflict):
    slug = "capa-not-in-effectiveness-check"
    title = "CAPA not in its effectiveness check"
