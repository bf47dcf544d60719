"""EPCIS query exceptions (the REST binding's `epcisException:...` problem types)."""
from __future__ import annotations

from tracegraph.capture.errors import EpcisProblem, NoSuchResourceException, QueryParameterException

__all__ = [
    "DuplicateNameException",
    "EpcisProblem",
    "InvalidURIException",
    "NoSuchNameException",
    "NoSuchResourceException",
    "QueryParameterException",
    "QueryTooLargeException",
    "SubscriptionControlsException",
]


class QueryTooLargeException(EpcisProblem):
    status = 413
    slug = "epcis-query-too-large"
    title = "The query matches more events than maxEventCount allows"
    epcis_type = "epcisException:QueryTooLargeException"


class SubscriptionControlsException(EpcisProblem):
    status = 400
    slug = "epcis-subscription-controls"
    title = "Invalid subscription controls"
    epcis_type = "epcisException:SubscriptionControlsException"


class InvalidURIException(EpcisProblem):
    status = 400
    slug = "epcis-invalid-uri"
    title = "Invalid destination URI"
    epcis_type = "epcisException:InvalidURIException"


class NoSuchNameException(EpcisProblem):
    status = 404
    slug = "epcis-no-such-name"
    title = "No such named query"
    epcis_type = "epcisException:NoSuchNameException"


class DuplicateNameException(EpcisProblem):
    status = 409
    slug = "epcis-duplicate-name"
    title = "A query with this name exists"
    epcis_type = "epcisException:DuplicateNameException"
