"""Named Cypher statements, read from the `cypher` package (one file per query)."""
import re
from functools import cache
from importlib import resources

# How many genealogy links a walk follows at most (trace, genealogy, recall scope, holds, and
# the cycle checks at ingest). Cypher cannot take a variable-length bound as a parameter, so
# files write `{{max_depth}}` and it is substituted here when a query loads. One constant,
# not a setting: the bound decides which serials a recall reaches and which links ingest marks
# as cycles; a deployment that lowered it would silently cut recall scopes, and one that changed
# it between writing and reading would judge old cycles by another rule.
GENEALOGY_MAX_DEPTH = 32
PLACEHOLDERS = {"{{max_depth}}": GENEALOGY_MAX_DEPTH}

# A line `// include: trace/observations` is replaced by that file's text, so one statement
# can run another's rules as a subquery (one round trip) without a second copy of them.
INCLUDE = re.compile(r"^[ \t]*// include: (\S+)[ \t]*$", re.MULTILINE)
# Whole-line comments and blank lines are dropped from the text sent: Neo4j reads the whole
# text on every run before its plan cache answers, and the files are mostly comments (a single-serial
# read spent ~0.05 ms of its ~1 ms on them). A `//` after code on a line stays: it may be in a string.
COMMENT_LINE = re.compile(r"^[ \t]*(//[^\n]*)?\n", re.MULTILINE)


class UnknownQuery(KeyError):
    pass


def substitute(text: str, values: dict[str, int] = PLACEHOLDERS) -> str:
    """Put the (integer, validated) bounds into a query's text."""
    for token, value in values.items():
        if type(value) is not int or value < 1:
            raise ValueError(f"{token} must be a positive int, not {value!r}")
        text = text.replace(token, str(value))
    return text


@cache
def query(name: str) -> str:
    """`query("trace/places")` is the text of cypher/trace/places.cypher, its includes expanded,
    its bounds substituted and its comment lines dropped."""
    path = resources.files("cypher").joinpath(*f"{name}.cypher".split("/"))
    if not path.is_file():
        raise UnknownQuery(name)
    return COMMENT_LINE.sub("", INCLUDE.sub(lambda m: query(m.group(1)), substitute(path.read_text())))


def statements(name: str) -> list[str]:
    """The `;`-separated statements of a multi-statement file (schema files)."""
    lines = [ln for ln in query(name).splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
