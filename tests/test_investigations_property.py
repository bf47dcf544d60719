"""Properties of the investigation and CAPA life cycles, against oracles written out here
independently of the services' tables: any sequence of requested steps ends in the state
the oracle predicts, with exactly the accepted steps recorded and audited, and a refused
step changes nothing. Also: concurrent openings get distinct ids."""
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import TracegraphError
from tracegraph.capa import service as capas
from tracegraph.capa.enums import State as CapaState
from tracegraph.capa.models import ActionRequest, ActionUpdate, CreateRequest, VerificationRequest
from tracegraph.investigations import service as investigations
from tracegraph.investigations.enums import State
from tracegraph.investigations.models import OpenRequest, RootCauseRequest, TransitionRequest

# The documented life cycle (README), written out again as the oracle.
NEXT = {"open": {"in_progress"}, "in_progress": {"root_cause_identified"},
        "root_cause_identified": {"in_progress", "closed"}, "closed": set()}
CAPA_NEXT = {"open": {"in_progress"}, "in_progress": {"effectiveness_check"},
             "effectiveness_check": {"in_progress", "closed"}, "closed": set()}


def audit_actions(db, subject: str) -> list[str]:
    return [r["record"]["action"] for r in db.read("audit/list", subject=subject, actor=None, action=None,
                                                   **{"from": None, "to": None}, after=0, limit=1000)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wanted=st.lists(st.sampled_from([s.value for s in State]), max_size=8), with_cause=st.booleans())
def test_investigation_steps_follow_the_oracle(db, wanted, with_cause):
    inv = investigations.open_investigation(db, OpenRequest(title="p"), principal="ana").id
    if with_cause:
        investigations.set_root_cause(db, inv, RootCauseRequest(category="design", text="t"), principal="ana")
    state, accepted = "open", []
    for to in wanted:
        allowed = to in NEXT[state] and (to != "root_cause_identified" or with_cause)
        try:
            investigations.transition(db, inv, TransitionRequest(to=to, reason="r"), principal="ana")
            moved = True
        except TracegraphError as exc:
            assert exc.status == 409
            moved = False
        assert moved == allowed
        if moved:
            accepted.append((state, to))
            state = to
    got = investigations.get(db, inv)
    expected_audit = ["investigation.open"] + (["investigation.root_cause"] if with_cause else []) + \
        [f"investigation.{to}" for _, to in accepted]
    assert (got.state.value, [(s.from_state, s.to) for s in got.steps], audit_actions(db, inv)) == \
        (state, accepted, expected_audit)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wanted=st.lists(st.sampled_from(["in_progress", "effectiveness_check", "closed", "open", "done",
                                        "verify_effective", "verify_not_effective"]), max_size=8),
       prefix=st.integers(0, 3))
def test_capa_steps_follow_the_oracle(db, wanted, prefix):
    """Oracle: actions must all be done to enter the check; a check is recorded only in the check;
    closing needs the latest check since entering it to be effective. A prefix of the usual path
    gets most examples as far as the check."""
    wanted = ["in_progress", "done", "effectiveness_check"][:prefix] + wanted
    capa = capas.create(db, CreateRequest(title="p", actions=[ActionRequest(
        kind="corrective", description="d", owner="ana", due="2030-01-01")]), principal="ana")
    action = capa.actions[0].id
    state, done, checks = "open", False, []  # checks: results since entering effectiveness_check
    def attempt(want: str) -> None:
        if want == "done":
            capas.update_action(db, capa.id, action, ActionUpdate(status="done"), principal="ana")
        elif want.startswith("verify"):
            result = "effective" if want == "verify_effective" else "not_effective"
            capas.verify(db, capa.id, VerificationRequest(criteria="c", evidence="e", result=result),
                         principal="ana")
        else:
            capas.transition(db, capa.id, CapaState(want), principal="ana", reason="r")

    for want in wanted:
        if want == "done":
            allowed = not done and state in ("open", "in_progress")
        elif want.startswith("verify"):
            allowed = state == "effectiveness_check"
        else:
            allowed = want in CAPA_NEXT[state] and \
                (want != "effectiveness_check" or done) and \
                (want != "closed" or (bool(checks) and checks[-1] == "effective"))
        try:
            attempt(want)
            ok = True
        except TracegraphError as exc:
            assert exc.status == 409
            ok = False
        assert (want, ok) == (want, allowed)
        if not ok:
            continue
        if want == "done":
            done = True
        elif want.startswith("verify"):
            checks.append("effective" if want == "verify_effective" else "not_effective")
        else:
            state = want
            if want == "effectiveness_check":
                checks = []
    assert capas.get(db, capa.id).state.value == state


def test_concurrent_openings_get_distinct_ids(db):
    def open_one(n: int) -> str:
        return investigations.open_investigation(db, OpenRequest(title=f"t{n}"), principal="ana").id
    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(open_one, range(24)))
    assert sorted(int(i.rsplit("-", 1)[1]) for i in ids) == list(range(1, 25))
