"""Pydantic models of EPCIS 2.0 JSON-LD capture input, and the normalised event we store.

The input models follow the EPCIS 2.0 JSON binding field names; unknown keys
(user extensions) are allowed and kept in the raw event.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

EventType = Literal["ObjectEvent", "AggregationEvent", "TransformationEvent", "AssociationEvent",
                    "TransactionEvent"]


def commissioning_roles(type: str, action: str | None, biz_step: str | None) -> tuple[str, ...]:
    """The roles in which an event brings what it names into being (epcList and quantityList alike):
    a TransformationEvent's outputs; an ObjectEvent's objects when it ADDs them or its bizStep is
    commissioning (real feeds send OBSERVE with that step). Other types commission nothing.
    The one rule for the writer (commissioned, lot bindings, making event), the quality checks and
    lot balance, and the item-history rules; the Cypher statements that test it name this function
    (tests/test_commissioning_statements.py holds each of them to it)."""
    if type == "TransformationEvent":
        return ("output",)
    if type == "ObjectEvent" and (action == "ADD" or biz_step == "commissioning"):
        return ("epc",)
    return ()


class _In(BaseModel):
    model_config = ConfigDict(extra="allow")


class QuantityElement(_In):
    epcClass: str = Field(min_length=1)
    quantity: float | None = Field(None, ge=0)
    uom: str | None = None


class Location(_In):
    id: str = Field(min_length=1)


class Source(_In):
    type: str = Field(min_length=1)
    source: str = Field(min_length=1)


class Destination(_In):
    type: str = Field(min_length=1)
    destination: str = Field(min_length=1)


class BizTransaction(_In):
    type: str | None = None
    bizTransaction: str = Field(min_length=1)


class EpcisEvent(_In):
    type: EventType
    eventID: str | None = None
    eventTime: AwareDatetime
    eventTimeZoneOffset: str = Field(pattern=r"^[+-]([01]\d|2[0-3]):[0-5]\d$")
    action: Literal["ADD", "OBSERVE", "DELETE"] | None = None
    bizStep: str | None = None
    disposition: str | None = None
    readPoint: Location | None = None
    bizLocation: Location | None = None
    epcList: list[str] = Field(default_factory=list)
    parentID: str | None = None
    childEPCs: list[str] = Field(default_factory=list)
    inputEPCList: list[str] = Field(default_factory=list)
    outputEPCList: list[str] = Field(default_factory=list)
    quantityList: list[QuantityElement] = Field(default_factory=list)
    childQuantityList: list[QuantityElement] = Field(default_factory=list)
    inputQuantityList: list[QuantityElement] = Field(default_factory=list)
    outputQuantityList: list[QuantityElement] = Field(default_factory=list)
    sourceList: list[Source] = Field(default_factory=list)
    destinationList: list[Destination] = Field(default_factory=list)
    bizTransactionList: list[BizTransaction] = Field(default_factory=list)
    ilmd: dict | None = None
    transformationID: str | None = None
    errorDeclaration: dict | None = None

    @model_validator(mode="after")
    def _action_rules(self) -> EpcisEvent:
        if self.type == "TransformationEvent":
            if self.action is not None:
                raise ValueError("action: a TransformationEvent has no action")
        elif self.action is None:
            raise ValueError(f"action: required for a {self.type}")
        if self.type == "ObjectEvent" and not {"epcList", "quantityList"} & self.model_fields_set:
            raise ValueError("epcList: an ObjectEvent needs an epcList or a quantityList")
        if self.type in ("AggregationEvent", "AssociationEvent") and self.action != "DELETE" and not self.parentID:
            raise ValueError(f"parentID: required for a {self.type} with action {self.action}")
        return self


class VocabularyAttribute(_In):
    id: str
    attribute: object = None


class VocabularyElement(_In):
    id: str = Field(min_length=1)
    attributes: list[VocabularyAttribute] = Field(default_factory=list)
    children: list[str] = Field(default_factory=list)


class Vocabulary(_In):
    type: str
    vocabularyElementList: list[VocabularyElement] = Field(default_factory=list)


class EpcisDocumentHead(_In):
    """The document without its events: events are validated one by one so an
    error can name its index."""
    type: Literal["EPCISDocument", "EPCISQueryDocument"]
    schemaVersion: str
    creationDate: AwareDatetime


# The normalised forms are built only by normalise() from validated input, so they are
# plain dataclasses: pydantic re-validation cost a tenth of parsing.
@dataclass(slots=True)
class Observation:
    """One object an event touched, with its role in the event."""
    epc: str
    role: Literal["epc", "parent", "child", "input", "output"]


@dataclass(slots=True)
class ClassObservation:
    epc: str  # lgtin class URN, or product class pattern (idpat)
    role: Literal["epc", "child", "input", "output"]
    quantity: float | None = None
    uom: str | None = None


@dataclass(slots=True)
class Party:
    type: str  # owning_party | possessing_party | location
    epc: str


@dataclass(slots=True, kw_only=True)
class Event:
    """A validated event in canonical form (EPC URNs, bare CBV words, UTC time)."""
    event_id: str
    type: EventType
    time: datetime
    time_offset: str
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    objects: list[Observation]
    classes: list[ClassObservation]
    sources: list[Party]
    destinations: list[Party]
    transformation_id: str | None
    lot_number: str | None
    expiry: str | None
    error_declaration: dict | None = None  # set: this event is declared erroneous (ignored by traces)
    raw: dict

    def commissioning_roles(self) -> tuple[str, ...]:
        return commissioning_roles(self.type, self.action, self.biz_step)
