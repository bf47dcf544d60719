"""orjson on the ingest path must accept and refuse exactly what the stdlib json did."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


json_values = st.recursive(
    st.none() | st.booleans() | st.text(max_size=6) | st.integers(-10**6, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(value=json_values, depth=st.integers(1, 5), string=st.integers(0, 5), number=st.sampled_from([10.0, 1e6]))
def test_the_walk_without_paths_passes_exactly_what_the_naming_walk_passes(value, depth, string, number):
    """check_limits passes on the quick walk; only a refusal walks again to name the field."""
    limits = fastjson.Limits(max_depth=depth, max_string=string, max_number=number)
    try:
        fastjson._refuse(value, limits)
        refused = False
    except fastjson.JsonRefused:
        refused = True
    assert fastjson._within(value, limits) is not refused


@given(data=st.binary(max_size=60) | st.lists(st.sampled_from([b"0", b"9", b"12345", b".", b"/", b":", b"a"]),
                                               max_size=40).map(b"".join))
def test_a_long_number_is_found_as_the_regex_finds_it(data):
    assert fastjson._long_number(data) is (fastjson._LONG_NUMBER.search(data) is not None)
    assert fastjson._long_number(bytearray(data)) is (fastjson._LONG_NUMBER.search(data) is not None)
