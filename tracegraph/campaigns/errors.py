from core.errors import Conflict, TracegraphError


class IllegalTransition(Conflict):
    """409 naming the states the step is allowed from."""
    slug = "illegal-recall-transition"
    title = "Not allowed in the campaign's state"


class UnitsOutstanding(Conflict):
    slug = "recall-units-outstanding"
    title = "Units in scope are not all accounted for"


class UnknownInvestigation(TracegraphError):
    """A body naming an investigation that does not exist: the request is invalid (422),
    the resource addressed by the URL is not missing (which would be 404)."""
    status = 422
    slug = "unknown-investigation"
    title = "Unknown investigation"


class NotInCampaign(TracegraphError):
    status = 422
    slug = "not-in-campaign"
    title = "Not part of the recall campaign"
