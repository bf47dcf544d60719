"""Named Cypher statements, read from the `cypher` package (one file per query)."""
import re
from functools import cache
from importlib import resources

# A line `// include: trace/observations` is replaced by that file's text, so one statement
# can run another's rules as a subquery (one round trip) without a second copy of them.
INCLUDE = re.compile(r"^[ \t]*// include: (\S+)[ \t]*$", re.MULTILINE)


class UnknownQuery(KeyError):
    pass


@cache
def query(name: str) -> str:
    """`query("trace/forward")` is the text of cypher/trace/forward.cypher (includes expanded)."""
    path = resources.files("cypher").joinpath(*f"{name}.cypher".split("/"))
    if not path.is_file():
        raise UnknownQuery(name)
    return INCLUDE.sub(lambda m: query(m.group(1)), path.read_text())


def statements(name: str) -> list[str]:
    """The `;`-separated statements of a multi-statement file (schema files)."""
    lines = [ln for ln in query(name).splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
