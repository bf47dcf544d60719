"""Errors with the EPCIS 2.0 REST binding's problem types (`epcisException:...`)."""
from __future__ import annotations

from core.errors import TracegraphError


class EpcisProblem(TracegraphError):
    epcis_type = "epcisException:ImplementationException"

    @property
    def type(self) -> str:
        return self.epcis_type


class ValidationException(EpcisProblem):
    status = 400
    slug = "epcis-validation"
    title = "The EPCIS document is invalid"
    epcis_type = "epcisException:ValidationException"


class QueryParameterException(EpcisProblem):
    status = 400
    slug = "epcis-query-parameter"
    title = "Invalid query parameter"
    epcis_type = "epcisException:QueryParameterException"


class NoSuchResourceException(EpcisProblem):
    status = 404
    slug = "epcis-no-such-resource"
    title = "No such resource"
    epcis_type = "epcisException:NoSuchResourceException"


class CaptureLimitExceededException(EpcisProblem):
    status = 413
    slug = "epcis-capture-limit"
    title = "Capture limit exceeded"
    epcis_type = "epcisException:CaptureLimitExceededException"


class UnsupportedMediaType(EpcisProblem):
    status = 415
    slug = "epcis-media-type"
    title = "Unsupported media type"
    epcis_type = "epcisException:ValidationException"
