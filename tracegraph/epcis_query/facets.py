"""What a stored event offers to SimpleEventQuery filters beyond its indexed properties.

Each event gets three flat lists (Neo4j properties cannot be maps): `q_keys` (field paths
present, for EXISTS_), `q_str` ("path\\x1fvalue" strings, for EQ_) and the parallel
`q_nk`/`q_nv` (path, number; date-times as epoch milliseconds, for GT_/GE_/LT_/LE_).
A filter then has one fixed Cypher shape with the path and values as parameters
(cypher/epcis/query_events.cypher), whatever the extension field is called.

Paths: `bizTransaction_<type>`, `source_<type>`, `destination_<type>`, `errorReason`,
`correctiveEventID`, `errorDeclarationTime`, `pd_set`/`pd_unset`, `epcClass`,
`inputEPCClass`, `outputEPCClass`, `quantity`, `quantity_<uom>`, `transformationID`,
`ILMD_<name>`/`INNER_ILMD_<name>`, `<name>`/`INNER_<name>` (user extensions),
`readPoint_<name>`, `bizLocation_<name>`, `ERROR_DECLARATION_<name>`, sensor metadata and
report attributes by their own names (`time`, `type`, `deviceID`, `value_<uom>`, ...),
`SENSORELEMENT_`/`SENSORMETADATA_`/`SENSORREPORT_<name>` for their extensions.
An extension `<name>` is stored both as written (`ex:field`) and expanded with the
document's namespaces (`https://ns.example.com/epcis#field`).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from loaders.epcis import cbv

SEP = "\x1f"
STANDARD = {"type", "eventID", "eventTime", "eventTimeZoneOffset", "recordTime", "certificationInfo",
            "errorDeclaration", "epcList", "parentID", "childEPCs", "inputEPCList", "outputEPCList",
            "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList", "action",
            "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList",
            "sourceList", "destinationList", "sensorElementList", "ilmd", "transformationID", "@context",
            "@type", "@id", "#text"}
METADATA_STD = {"time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod",
                "bizRules"}
REPORT_STD = {"type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
              "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
              "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank", "percValue",
              "uom", "coordinateReferenceSystem"}
MEASURES = ("value", "minValue", "maxValue", "meanValue", "sDev", "percValue")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_GS1_VOC = ("gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/")


def epoch_ms(value: str) -> float | None:
    """A date-time with time zone as epoch milliseconds, else None."""
    if not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).timestamp() * 1000
    except (ValueError, OverflowError):  # not a date-time, or beyond year 9999 in UTC
        return None


def measurement_type(value: str) -> str:
    """`gs1:Temperature`, `https://gs1.org/voc/Temperature` and `Temperature` are one type."""
    for prefix in _GS1_VOC:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return epoch_ms(value)
    return None


class Facets:
    def __init__(self, namespaces: dict | None = None):
        self.namespaces = {k: v for k, v in (namespaces or {}).items() if isinstance(v, str)}
        self.keys: set[str] = set()
        self.strs: set[str] = set()
        self.nums: set[tuple[str, float]] = set()

    def names(self, name: str) -> list[str]:
        """An extension name as written and with its prefix expanded."""
        out = [name]
        prefix, colon, local = name.partition(":")
        if colon and prefix in self.namespaces:
            out.append(self.namespaces[prefix] + local)
        return out

    def add(self, path: str, value: Any) -> None:
        self.keys.add(path)
        if isinstance(value, bool):
            self.strs.add(path + SEP + ("true" if value else "false"))
        elif isinstance(value, (int, float)):
            self.nums.add((path, float(value)))
            self.strs.add(path + SEP + num_text(value))
        elif isinstance(value, str):
            self.strs.add(path + SEP + value)
            ms = epoch_ms(value)
            if ms is not None:
                self.nums.add((path, ms))

    def extension(self, area: str, name: str, value: Any, depth: int = 0) -> None:
        """An extension field (and, as INNER_, everything nested in it)."""
        if depth > 16 or name.startswith("@"):
            return
        items = value if isinstance(value, list) else [value]
        for n in self.names(name):
            path = (f"INNER_{area}" if depth else area) + n
            self.keys.add(path)
            for item in items:
                if isinstance(item, dict):
                    if "#text" in item:
                        self.add(path, item["#text"])
                elif not isinstance(item, list):
                    self.add(path, item)
        for item in items:
            if isinstance(item, dict):
                for child, inner in item.items():
                    if child != "#text":
                        self.extension(area, child, inner, depth + 1)

    def lists(self) -> dict:
        nums = sorted(self.nums)
        return {"q_keys": sorted(self.keys), "q_str": sorted(self.strs),
                "q_nk": [k for k, _ in nums], "q_nv": [v for _, v in nums]}


def stored(lists: dict) -> dict:
    """The lists as the writer stores them: an empty one as None, no property (as the bulk
    importer must store it: an empty CSV array is no property). Readers take null for []."""
    return {k: v or None for k, v in lists.items()}


def num_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def of_event(raw: dict, namespaces: dict | None, declaration: dict | None = None,
             canonical=lambda value, kinds: value) -> dict:
    """The facet lists of one stored event. `canonical(value, kinds)` turns identifiers into
    EPC URNs the way the writer did (so a Digital Link and its URN filter alike)."""
    f = Facets(namespaces)
    for key, value in raw.items():
        if key not in STANDARD:
            f.extension("", key, value)
        elif key not in ("@context", "type", "eventTime", "recordTime", "eventTimeZoneOffset"):
            f.keys.add(key)
    for bt in raw.get("bizTransactionList") or []:
        if isinstance(bt, dict) and isinstance(bt.get("bizTransaction"), str):
            kind = cbv.bare(bt["type"], "btt") if isinstance(bt.get("type"), str) else ""
            f.add(f"bizTransaction_{kind}", bt["bizTransaction"])
    for field, item in (("source", "sourceList"), ("destination", "destinationList")):
        for sd in raw.get(item) or []:
            if isinstance(sd, dict) and isinstance(sd.get(field), str) and isinstance(sd.get("type"), str):
                f.add(f"{field}_{cbv.bare(sd['type'], 'sdt')}", canonical(sd[field], ("party", "location")))
    for field, role in (("quantityList", "epcClass"), ("childQuantityList", "epcClass"),
                        ("inputQuantityList", "inputEPCClass"), ("outputQuantityList", "outputEPCClass")):
        for q in raw.get(field) or []:
            if not isinstance(q, dict) or not isinstance(q.get("epcClass"), str):
                continue
            f.add(role, canonical(q["epcClass"], ("class",)))
            quantity = number(q.get("quantity"))
            if quantity is not None and not isinstance(q.get("quantity"), str):
                f.nums.add(("quantity", quantity))
                if isinstance(q.get("uom"), str):
                    f.nums.add((f"quantity_{q['uom']}", quantity))
    if isinstance(raw.get("transformationID"), str):
        f.add("transformationID", raw["transformationID"])
    pd = raw.get("persistentDisposition")
    if isinstance(pd, dict):
        for part in ("set", "unset"):
            for value in pd.get(part) or []:
                if isinstance(value, str):
                    f.add(f"pd_{part}", cbv.bare(value, "disposition"))
    for place in ("readPoint", "bizLocation"):
        loc = raw.get(place)
        if isinstance(loc, dict):
            for key, value in loc.items():
                if key != "id":
                    f.extension(f"{place}_", key, value)
    ilmd = raw.get("ilmd")
    if isinstance(ilmd, dict):
        for key, value in ilmd.items():
            f.extension("ILMD_", key, value)
    _error(f, declaration or raw.get("errorDeclaration"))
    _sensors(f, raw.get("sensorElementList"))
    return f.lists()


def _error(f: Facets, decl: Any) -> None:
    if not isinstance(decl, dict):
        return
    f.keys.add("errorDeclaration")
    if isinstance(decl.get("reason"), str):
        reason = decl["reason"]
        for prefix in ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-", "cbv:ER-"):
            reason = reason.removeprefix(prefix)
        f.add("errorReason", reason)
    if isinstance(decl.get("declarationTime"), str):
        ms = epoch_ms(decl["declarationTime"])
        if ms is not None:
            f.nums.add(("errorDeclarationTime", ms))
    for value in decl.get("correctiveEventIDs") or []:
        if isinstance(value, str):
            f.add("correctiveEventID", value)
    for key, value in decl.items():
        if key not in ("reason", "declarationTime", "correctiveEventIDs"):
            f.extension("ERROR_DECLARATION_", key, value)


def _sensors(f: Facets, elements: Any) -> None:
    if not isinstance(elements, list):
        return
    for element in elements:
        if not isinstance(element, dict):
            continue
        meta = element.get("sensorMetadata") if isinstance(element.get("sensorMetadata"), dict) else {}
        for key, value in meta.items():
            if key in METADATA_STD:
                f.add(key, value)
            else:
                f.extension("SENSORMETADATA_", key, value)
        for report in element.get("sensorReport") or []:
            if isinstance(report, dict):
                _report(f, report)
        for key, value in element.items():
            if key not in ("sensorMetadata", "sensorReport"):
                f.extension("SENSORELEMENT_", key, value)


def _report(f: Facets, report: dict) -> None:
    uom = report.get("uom") if isinstance(report.get("uom"), str) else None
    for key, value in report.items():
        if key == "type" and isinstance(value, str):
            f.add("type", measurement_type(value))
        elif key in MEASURES:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                f.nums.add((f"{key}_{uom}" if uom else key, float(value)))
        elif key == "percRank":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                f.nums.add(("percRank", float(value)))
        elif key in REPORT_STD:
            f.add(key, value)
        else:
            f.extension("SENSORREPORT_", key, value)


def cbv_word(value: str) -> bool:
    """A bare CBV word (`shipping`), as the writer stores standard values."""
    return bool(re.fullmatch(r"[a-z_]+", value))
