"""The API's docs page (/api/v1/docs/) in a real Chromium, under the site's own CSP:
Swagger UI renders the schema from files this site serves, with no CSP violation."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_schema_from_this_site_alone(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    problems, elsewhere = [], []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" or "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )

    response = page.goto(live_server.url + "/api/v1/docs/")
    assert response.status == 200
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Leonsite API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/films/").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    context.close()
    assert not problems, problems
    assert not elsewhere, elsewhere
