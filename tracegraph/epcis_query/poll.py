"""EPCIS 2.0 XML query documents (`<epcisq:Poll>`) → SimpleEventQuery parameters."""
from __future__ import annotations

from typing import Any

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from tracegraph.capture.errors import ValidationException
from tracegraph.epcis_query.errors import NoSuchNameException

MAX_BYTES = 1024 * 1024


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el, name: str):
    return next((c for c in el if _local(c.tag) == name), None)


def read_poll(data: bytes) -> dict[str, Any]:
    """The parameters of the document's Poll of SimpleEventQuery."""
    if len(data) > MAX_BYTES:
        raise ValidationException(f"a query document has at most {MAX_BYTES} bytes", field="body")
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValidationException(f"not well-formed XML: {exc}", field="body") from exc
    poll = next((el for el in root.iter() if _local(el.tag) == "Poll"), None)
    if poll is None:
        raise ValidationException("no <Poll> element: send an EPCISQueryDocument with EPCISBody/Poll", field="Poll")
    name = _child(poll, "queryName")
    if name is None or not (name.text or "").strip():
        raise ValidationException("Poll/queryName is missing", field="queryName")
    if name.text.strip() != "SimpleEventQuery":
        raise NoSuchNameException(f"queryName {name.text.strip()!r}: this repository answers SimpleEventQuery",
                                  field="queryName")
    params: dict[str, Any] = {}
    holder = _child(poll, "params")
    for param in holder if holder is not None else []:
        pname, value = _child(param, "name"), _child(param, "value")
        if pname is None or not (pname.text or "").strip():
            raise ValidationException("a Poll param without a <name>", field="params")
        key = pname.text.strip()
        if value is None:
            params[key] = None
        elif len(value):
            params[key] = [(c.text or "").strip() for c in value]
        else:
            params[key] = (value.text or "").strip()
    return params
