"""SimpleEventQuery parameters → the parameters of cypher/epcis/query_events.cypher.

Parameters arrive as a JSON query (named queries: arrays and numbers) or as URL query
parameters (strings, several values separated by `|`). Names with a variable part
(`EQ_bizTransaction_<type>`, `GT_ILMD_<field>`, `EQ_value_<uom>` ...) are matched against a fixed
table of patterns and become one facet condition {op, key, ...}: the variable part is data,
never query text. Anything else is refused with QueryParameterException naming it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from core.requests import instant
from loaders.epcis import cbv, masterdata
from tracegraph.epcis_query import facets
from tracegraph.epcis_query.errors import QueryParameterException

SEP = facets.SEP
EVENT_TYPES = ("ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent", "TransactionEvent")
ACTIONS = ("ADD", "OBSERVE", "DELETE")
ORDER_BY = {"eventTime": "eventTime", "recordTime": "recordTime"}
CONTROLS = {"orderBy", "orderDirection", "eventCountLimit", "maxEventCount", "nextPageToken", "perPage",
            "@context"}
EPC_ROLES = {"MATCH_epc": ["epc", "child"], "MATCH_parentID": ["parent"], "MATCH_inputEPC": ["input"],
             "MATCH_outputEPC": ["output"], "MATCH_anyEPC": ["epc", "child", "parent", "input", "output"]}
CLASS_KEYS = {"MATCH_epcClass": ["epcClass"], "MATCH_inputEPCClass": ["inputEPCClass"],
              "MATCH_outputEPCClass": ["outputEPCClass"],
              "MATCH_anyEPCClass": ["epcClass", "inputEPCClass", "outputEPCClass"]}
TIMES = {"GE_eventTime": "ge_time", "LT_eventTime": "lt_time", "GE_recordTime": "ge_record",
         "LT_recordTime": "lt_record"}
LISTS = {"EQ_bizStep": ("biz_steps", "bizStep"), "EQ_disposition": ("dispositions", "disposition")}
PLACES = {"EQ_readPoint": "read_points", "EQ_bizLocation": "biz_locations", "WD_readPoint": "wd_read_points",
          "WD_bizLocation": "wd_biz_locations"}
# plain EQ_ filters on a facet path: parameter → (path, how values are normalised)
FACET_EQ: dict[str, tuple[str, Callable[[str], str]]] = {
    "EQ_transformationID": ("transformationID", str),
    "EQ_errorReason": ("errorReason", lambda v: _strip(v, ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-",
                                                           "cbv:ER-"))),
    "EQ_correctiveEventID": ("correctiveEventID", str),
    "EQ_persistentDisposition_set": ("pd_set", lambda v: cbv.bare(v, "disposition")),
    "EQ_persistentDisposition_unset": ("pd_unset", lambda v: cbv.bare(v, "disposition")),
    "EQ_type": ("type", facets.measurement_type),
    "EQ_deviceID": ("deviceID", str), "EQ_dataProcessingMethod": ("dataProcessingMethod", str),
    "EQ_microorganism": ("microorganism", str), "EQ_chemicalSubstance": ("chemicalSubstance", str),
    "EQ_bizRules": ("bizRules", str), "EQ_stringValue": ("stringValue", str),
    "EQ_hexBinaryValue": ("hexBinaryValue", str), "EQ_uriValue": ("uriValue", str),
}
FACET_CMP = {"GE_errorDeclaration_Time": ("GE", "errorDeclarationTime"),
             "LT_errorDeclaration_Time": ("LT", "errorDeclarationTime"),
             "GE_time": ("GE", "time"), "LT_time": ("LT", "time"), "GE_startTime": ("GE", "startTime"),
             "LT_startTime": ("LT", "startTime"), "GE_endTime": ("GE", "endTime"), "LT_endTime": ("LT", "endTime")}
FACET_EXISTS = {"EXISTS_errorDeclaration": "errorDeclaration", "EXISTS_sensorElementList": "sensorElementList"}

_NAME = r"(?P<name>[A-Za-z][A-Za-z0-9]*:[\w.-]+|https?://[^\s#|]+#[\w.-]+)"
_AREAS = r"(?P<area>INNER_ILMD_|ILMD_|INNER_ERROR_DECLARATION_|ERROR_DECLARATION_|INNER_SENSORELEMENT_|" \
         r"SENSORELEMENT_|INNER_SENSORMETADATA_|SENSORMETADATA_|INNER_SENSORREPORT_|SENSORREPORT_|" \
         r"INNER_readPoint_|readPoint_|INNER_bizLocation_|bizLocation_|INNER_|)"
PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^EQ_(?P<kind>bizTransaction|source|destination)_(?P<type>[a-z][a-zA-Z0-9_]*)$"), "typed"),
    (re.compile(r"^(?P<op>EQ|GT|GE|LT|LE)_quantity(_(?P<uom>[A-Z0-9]{2,4}))?$"), "quantity"),
    (re.compile(r"^(?P<op>EQ|GT|GE|LT|LE)_(?P<measure>value|minValue|maxValue|meanValue|sDev|percValue)"
                r"_(?P<uom>[A-Z0-9]{2,4})$"), "measure"),
    (re.compile(r"^(?P<op>GT|GE|LT|LE)_percRank$"), "percRank"),
    (re.compile(r"^EQ_booleanValue$"), "boolean"),
    (re.compile(r"^EXISTS_" + _AREAS + _NAME + "$"), "exists"),
    (re.compile(r"^(?P<op>EQ|GT|GE|LT|LE)_" + _AREAS + _NAME + "$"), "field"),
    (re.compile(r"^HASATTR_(?P<field>[A-Za-z]+)$"), "hasattr"),
    (re.compile(r"^EQ_ATTR_(?P<field>[A-Za-z]+)_(?P<attr>\S+)$"), "eqattr"),
    (re.compile(r"^(HASATTR|EQ_ATTR)_"), "attr"),
]
# Vocabulary fields whose master data is kept (as Site nodes, cypher/epcis/query_events.cypher)
VOCABULARY_FIELDS = ("readPoint", "bizLocation")
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 1000


@dataclass
class EventQuery:
    """A checked SimpleEventQuery: Cypher parameters and the result controls."""
    filters: dict = field(default_factory=dict)
    order_by: str = "eventTime"
    descending: bool = False
    event_count_limit: int | None = None
    max_event_count: int | None = None
    per_page: int = DEFAULT_PER_PAGE
    next_page_token: str | None = None

    def cypher(self) -> dict:
        return {**self.filters, "order_by": self.order_by, "descending": self.descending}


def _strip(value: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def _bad(name: str, why: str) -> QueryParameterException:
    return QueryParameterException(f"{name}: {why}", field=name)


def _strings(name: str, value: Any, from_url: bool) -> list[str]:
    if from_url and isinstance(value, str):
        values = [v for v in value.split("|") if v]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        values = value
    elif isinstance(value, str):
        values = [value]
    else:
        raise _bad(name, "expected a list of strings")
    if not values:
        raise _bad(name, "give at least one value")
    return values


def _number(name: str, value: Any) -> float:
    """A number, or a date-time (compared as epoch milliseconds)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            ms = facets.epoch_ms(value)
            if ms is not None:
                return ms
    raise _bad(name, f"{value!r} is not a number or a date-time with time zone")


def _int(name: str, value: Any, low: int = 1, high: int | None = None) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        raise _bad(name, f"{value!r} is not a whole number")
    n = int(value)
    if n < low or (high is not None and n > high):
        raise _bad(name, f"a whole number from {low}" + (f" to {high}" if high else " up"))
    return n


def _time(name: str, value: Any) -> datetime:
    if not isinstance(value, str):
        raise _bad(name, f"{value!r} is not an ISO 8601 date-time")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _bad(name, f"{value!r} is not an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise _bad(name, f"{value!r} needs a time zone (e.g. Z or +01:00)")
    try:
        return instant(parsed).astimezone(UTC)  # offsets within ±18:00, years 1-9999 in UTC
    except ValueError as exc:
        raise _bad(name, f"{value!r}: {exc}") from exc


def _uri(name: str, value: str) -> str:
    if ":" not in value or any(c.isspace() for c in value):
        raise _bad(name, f"{value!r} is not a URI")
    return value


def _pattern_prefix(value: str) -> str | None:
    """`urn:epc:idpat:sgtin:0614141.812345.*` matches EPCs starting `urn:epc:id:sgtin:0614141.812345.`."""
    if not value.startswith("urn:epc:idpat:"):
        return None
    body = value[len("urn:epc:idpat:"):]
    scheme, _, rest = body.partition(":")
    parts = rest.split(".")
    stars = [i for i, p in enumerate(parts) if p == "*"]
    if not scheme or not stars or any(i < stars[0] for i in stars[1:]) or stars != list(range(stars[0], len(parts))):
        return None
    return f"urn:epc:id:{scheme}:" + "".join(p + "." for p in parts[:stars[0]])


class Parser:
    def __init__(self, canonical: Callable[[str, tuple[str, ...]], str]):
        """`canonical(value, kinds)` → canonical EPC URN, or the value unchanged when it is
        not one this service can convert (it then matches nothing, as an unknown id would)."""
        self.canonical = canonical

    def parse(self, params: dict[str, Any], *, from_url: bool = False) -> EventQuery:
        q = EventQuery()
        f: dict[str, Any] = {"types": None, "ge_time": None, "lt_time": None, "ge_record": None, "lt_record": None,
                             "actions": None, "biz_steps": None, "dispositions": None, "read_points": None,
                             "biz_locations": None, "wd_read_points": None, "wd_biz_locations": None,
                             "event_ids": None, "epc_conds": [], "conds": [], "attr_conds": []}
        for name, value in params.items():
            if not isinstance(name, str):
                raise _bad(str(name), "not a query parameter")
            if name in CONTROLS:
                self._control(q, name, value)
            else:
                self._filter(f, name, value, from_url)
        if q.event_count_limit is not None and q.max_event_count is not None:
            raise _bad("maxEventCount", "give eventCountLimit or maxEventCount, not both")
        f["conds"].sort(key=lambda c: (c["op"], c["key"]))
        q.filters = f
        return q

    def _control(self, q: EventQuery, name: str, value: Any) -> None:
        if name == "@context":
            return
        if name == "orderBy":
            if value not in ORDER_BY:
                raise _bad(name, f"{value!r}: order by {' or '.join(ORDER_BY)}")
            q.order_by = ORDER_BY[value]
        elif name == "orderDirection":
            if value not in ("ASC", "DESC"):
                raise _bad(name, f"{value!r}: ASC or DESC")
            q.descending = value == "DESC"
        elif name == "eventCountLimit":
            q.event_count_limit = _int(name, value)
        elif name == "maxEventCount":
            q.max_event_count = _int(name, value)
        elif name == "perPage":
            q.per_page = _int(name, value, 1, MAX_PER_PAGE)
        elif name == "nextPageToken":
            if not isinstance(value, str) or not value:
                raise _bad(name, "not a token this service issued")
            q.next_page_token = value

    def _filter(self, f: dict, name: str, value: Any, from_url: bool) -> None:
        if name == "eventType":
            types = _strings(name, value, from_url)
            bad = [t for t in types if t not in EVENT_TYPES]
            if bad:
                raise _bad(name, f"{bad[0]!r} is not an EPCIS event type ({', '.join(EVENT_TYPES)})")
            f["types"] = types
        elif name in TIMES:
            f[TIMES[name]] = _time(name, value)
        elif name == "EQ_action":
            actions = _strings(name, value, from_url)
            bad = [a for a in actions if a not in ACTIONS]
            if bad:
                raise _bad(name, f"{bad[0]!r} is not an action (ADD, OBSERVE or DELETE)")
            f["actions"] = actions
        elif name in LISTS:
            key, kind = LISTS[name]
            f[key] = [cbv.bare(_uri(name, v) if ":" in v else v, kind) for v in _strings(name, value, from_url)]
        elif name in PLACES:
            f[PLACES[name]] = [self.canonical(_uri(name, v), ("location",)) for v in _strings(name, value, from_url)]
        elif name == "EQ_eventID":
            f["event_ids"] = _strings(name, value, from_url)
        elif name in EPC_ROLES:
            values, prefixes = [], []
            for v in _strings(name, value, from_url):
                prefix = _pattern_prefix(_uri(name, v))
                if prefix is not None:
                    prefixes.append(prefix)
                elif v.startswith("urn:epc:idpat:"):
                    raise _bad(name, f"{v!r}: a pattern has '*' only in its last fields")
                else:
                    values.append(self.canonical(v, ("serial", "container", "asset")))
            f["epc_conds"].append({"roles": EPC_ROLES[name], "values": values, "prefixes": prefixes})
        elif name in CLASS_KEYS:
            strings, prefixes = [], []
            for v in _strings(name, value, from_url):
                prefix = _pattern_prefix(_uri(name, v))
                canonical = self.canonical(v, ("class",))
                for key in CLASS_KEYS[name]:
                    strings.append(key + SEP + canonical)
                    if prefix is not None:  # a product pattern also matches its lots' classes
                        prefixes.append(key + SEP + prefix.replace("urn:epc:id:sgtin:", "urn:epc:class:lgtin:"))
            f["conds"].append(_cond("PREFIX", ",".join(CLASS_KEYS[name]), strings=strings, prefixes=prefixes))
        elif name in FACET_EQ:
            key, norm = FACET_EQ[name]
            f["conds"].append(_eq(key, [norm(v) for v in _strings(name, value, from_url)]))
        elif name in FACET_CMP:
            op, key = FACET_CMP[name]
            _time(name, value)
            f["conds"].append(_cond(op, key, num=_number(name, value)))
        elif name in FACET_EXISTS:
            f["conds"].append(_cond("EXISTS", FACET_EXISTS[name]))
        else:
            self._pattern(f, name, value, from_url)

    def _pattern(self, f: dict, name: str, value: Any, from_url: bool) -> None:
        for pattern, kind in PATTERNS:
            m = pattern.match(name)
            if not m:
                continue
            g = m.groupdict()
            if kind == "typed":
                sdt = "sdt" if g["kind"] != "bizTransaction" else "btt"
                key = f"{g['kind']}_{cbv.bare(g['type'], sdt)}"
                values = _strings(name, value, from_url)
                if g["kind"] != "bizTransaction":
                    values = [self.canonical(_uri(name, v), ("party", "location")) for v in values]
                f["conds"].append(_eq(key, values))
            elif kind in ("quantity", "measure"):
                measure = g.get("measure") or "quantity"
                key = f"{measure}_{g['uom']}" if g.get("uom") else measure
                f["conds"].append(self._compare(name, g["op"], key, value, from_url))
            elif kind == "percRank":
                f["conds"].append(_cond(g["op"], "percRank", num=_number(name, value)))
            elif kind == "boolean":
                truth = value if isinstance(value, bool) else str(value).lower()
                if truth not in (True, False, "true", "false"):
                    raise _bad(name, f"{value!r} is not true or false")
                f["conds"].append(_eq("booleanValue", ["true" if truth in (True, "true") else "false"]))
            elif kind == "exists":
                if value not in (None, "", 0, 1, "0", "1", True):
                    raise _bad(name, "takes no value")
                f["conds"].append(_cond("EXISTS", g["area"] + g["name"]))
            elif kind == "field":
                f["conds"].append(self._compare(name, g["op"], g["area"] + g["name"], value, from_url))
            elif kind in ("hasattr", "eqattr"):
                f["attr_conds"].append(self._attr(name, g, value, from_url))
            else:
                raise _bad(name, "HASATTR_<field> or EQ_ATTR_<field>_<attribute>, with <field> one of "
                                 + ", ".join(VOCABULARY_FIELDS))
            return
        raise _bad(name, "not a SimpleEventQuery parameter")

    def _attr(self, name: str, g: dict, value: Any, from_url: bool) -> dict:
        """HASATTR_<field>: the field's vocabulary element has master data with one of these
        attributes (non-null). EQ_ATTR_<field>_<attribute>: that attribute has one of these
        values. Attributes are named as in master data (`urn:epcglobal:cbv:mda#sst`, `cbvmda:sst`):
        stored under their local name, as EPCIS header master data and /v1/master store them."""
        if g["field"] not in VOCABULARY_FIELDS:
            raise _bad(name, f"{g['field']!r} is not a vocabulary field with master data here "
                             f"({', '.join(VOCABULARY_FIELDS)})")
        values = _strings(name, value, from_url)
        if g.get("attr") is None:
            attrs = [_attribute(name, v) for v in values]
            return {"field": g["field"], "attrs": attrs, "values": None}
        return {"field": g["field"], "attrs": [_attribute(name, g["attr"])], "values": values}

    def _compare(self, name: str, op: str, key: str, value: Any, from_url: bool) -> dict:
        if op != "EQ":
            return _cond(op, key, num=_number(name, value))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _cond("EQ", key, strings=[key + SEP + facets.num_text(value)], nums=[float(value)])
        if isinstance(value, list) and value and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                     for v in value):
            return _cond("EQ", key, strings=[key + SEP + facets.num_text(v) for v in value],
                         nums=[float(v) for v in value])
        values = _strings(name, value, from_url)
        nums = []
        for v in values:
            try:
                nums.append(float(v))
            except ValueError:
                ms = facets.epoch_ms(v)
                if ms is not None:
                    nums.append(ms)
        return _eq(key, values, nums)


def _attribute(name: str, attribute: str) -> str:
    """A master data attribute's stored name (`urn:epcglobal:cbv:mda#streetAddressOne` →
    street_address_one); the identifier itself is never an attribute."""
    stored = masterdata.attribute_name(attribute)
    if not stored or stored == "epc":
        raise _bad(name, f"{attribute!r} is not a master data attribute name")
    return stored


def _eq(key: str, values: list[str], nums: list[float] | None = None) -> dict:
    return _cond("EQ", key, strings=[key + SEP + v for v in values], nums=nums or [])


def _cond(op: str, key: str, *, strings: list[str] | None = None, nums: list[float] | None = None,
          num: float | None = None, prefixes: list[str] | None = None) -> dict:
    return {"op": op, "key": key, "strings": strings or [], "nums": nums or [], "num": num,
            "prefixes": prefixes or []}
