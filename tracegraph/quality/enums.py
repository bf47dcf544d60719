from enum import StrEnum


class Rule(StrEnum):
    SERIAL_LOT_BINDING = "serial_lot_binding"  # a serial claimed by a second lot (or a lot of another product)
    SERIAL_FORMAT = "serial_format"
    REQUIRED_ILMD = "required_ilmd"
    BIZ_STEP_SITE_TYPE = "biz_step_site_type"
    DUPLICATE_COMMISSIONING = "duplicate_commissioning"
    LOT_QUANTITY_BALANCE = "lot_quantity_balance"
    EVENT_IN_FUTURE = "event_in_future"
    EVENT_BEFORE_COMMISSIONING = "event_before_commissioning"


class Action(StrEnum):
    REJECT = "reject"  # the whole document is refused, nothing written
    FLAG = "flag"  # written, and a Finding recorded
    OFF = "off"


class Charset(StrEnum):
    DIGITS = "digits"
    ALNUM = "alnum"  # A-Z a-z 0-9
    ALNUM_UPPER = "alnum_upper"
    CSET82 = "cset82"  # GS1 AI 21 character set


SEVERITY = {
    Rule.SERIAL_LOT_BINDING: "high", Rule.DUPLICATE_COMMISSIONING: "high", Rule.LOT_QUANTITY_BALANCE: "high",
    Rule.SERIAL_FORMAT: "medium", Rule.REQUIRED_ILMD: "medium", Rule.EVENT_IN_FUTURE: "medium",
    Rule.EVENT_BEFORE_COMMISSIONING: "medium", Rule.BIZ_STEP_SITE_TYPE: "low",
}
