from core.errors import TracegraphError


class PermanentJobError(Exception):
    """The job can never succeed (its input is refused): failed, not retried."""


class LeaseLost(Exception):
    """Another worker took the job over (this one was taken for dead): roll back, do nothing."""


class UnknownJobKind(TracegraphError):
    status = 422
    slug = "unknown-job-kind"
    title = "Unknown job kind"
