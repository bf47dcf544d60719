from enum import Enum


class Status(str, Enum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"  # refused for good (bad input): not retried
    dead = "dead"  # attempts spent: the dead-letter state


class Kind(str, Enum):
    capture = "capture"  # an EPCIS document accepted by POST /epcis/capture
    rules_sweep = "rules.sweep"  # a full rules sweep
    webhook = "webhook"  # one alert notification
    subscription = "epcis.subscription"  # one run of an EPCIS query subscription, sent to its webhook
