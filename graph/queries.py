"""Named Cypher statements, read from the `cypher` package (one file per query)."""
from functools import cache
from importlib import resources


class UnknownQuery(KeyError):
    pass


@cache
def query(name: str) -> str:
    """`query("trace/forward")` is the text of cypher/trace/forward.cypher."""
    path = resources.files("cypher").joinpath(*f"{name}.cypher".split("/"))
    if not path.is_file():
        raise UnknownQuery(name)
    return path.read_text()


def statements(name: str) -> list[str]:
    """The `;`-separated statements of a multi-statement file (schema files)."""
    lines = [ln for ln in query(name).splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
