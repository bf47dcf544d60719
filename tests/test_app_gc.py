"""The app keeps what it started with out of the garbage collector's walks while it runs
(api/main.py freeze_startup_objects), and gives it back when it stops."""
import gc

from fastapi.testclient import TestClient

from api.main import create_app


def test_a_running_app_has_its_start_up_objects_frozen_and_a_stopped_one_thaws_them(db):
    gc.unfreeze()  # another app of this session may have frozen them
    app = create_app(db.settings.model_copy(update={"esign_required": False}))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        frozen = gc.get_freeze_count()
    assert frozen > 10_000 and gc.get_freeze_count() == 0
