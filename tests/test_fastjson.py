"""orjson on the ingest path must accept and refuse exactly what the stdlib json did."""
import json

import pytest

from core import fastjson
from loaders.epcis.document import LoadError, decode


def test_integers_beyond_64_bits_still_decode():
    assert fastjson.loads(b'{"n": 123456789012345678901234567890}') == {"n": 123456789012345678901234567890}


def test_integers_beyond_64_bits_still_encode():
    assert json.loads(fastjson.dumps({"n": 2 ** 70})) == {"n": 2 ** 70}


def test_non_ascii_round_trips():
    value = {"name": "Kessler Präzisionstechnik", "city": "京都"}
    assert fastjson.loads(fastjson.dumps(value).encode()) == value


def test_encoding_is_compact():
    assert fastjson.dumps({"a": [1, 2], "b": None}) == '{"a":[1,2],"b":null}'


def test_bad_json_is_refused_with_the_stdlib_reason():
    with pytest.raises(LoadError) as err:
        decode(b'{"type": "EPCISDocument",', "doc.json")
    assert (err.value.field, err.value.reason.startswith("not valid JSON: ")) == ("$", True)


def test_invalid_utf8_is_refused():
    with pytest.raises(LoadError):
        decode(b'{"a": "\xff"}', "doc.json")
