from tests.test_console import admin, base_url, browser, quote, s  # noqa

def test_dbg_only(admin):
    admin.goto(f"/#/serial/{quote(s.D1, safe='')}")
    admin.wait_for_timeout(6000)
    print("MAIN:", admin.locator("main").inner_text()[:1500])
