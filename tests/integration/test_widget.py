"""The <aiops-chat> widget in a real headless Chromium, served by the app on loopback."""

import shutil
from pathlib import Path

import pytest

from graphs.rag import build_graph as build_rag
from server import create_app
from tests.conftest import make_settings
from tests.doubles.live import live
from tests.fakes import ListRetriever, chunk, fake_model

pytestmark = pytest.mark.integration
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ANSWER = "Lancez docker compose pull puis docker compose up -d [1]."


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_widget_answers_and_links_its_sources(tmp_path):
    from playwright.sync_api import sync_playwright

    settings = make_settings(tmp_path / "data", api_keys={"k-viewer": ["viewer"]})
    docs = [chunk("docs/runbooks/dolibarr-redeploy.md", "redéployer dolibarr : docker compose pull", (12, 30))]
    unused = fake_model()
    app = create_app(settings, rag_graph=build_rag(model=fake_model(ANSWER), retriever=ListRetriever(docs),
                                                   settings=settings),
                     assistant_graph=unused, sentinel_graph=unused, reviewer_graph=unused, finops_graph=unused)
    with live(app) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page(viewport={"width": 720, "height": 640})
            page.goto(f"{url}/widget/demo?api_key=k-viewer&model=aiops-rag&lang=fr")
            box = page.locator("aiops-chat input")
            assert box.get_attribute("placeholder") == "Posez votre question…"
            box.fill("Comment redéployer Dolibarr ?")
            box.press("Enter")
            page.locator("aiops-chat .sources a").first.wait_for(timeout=20_000)
            answer = page.locator("aiops-chat .answer").first.inner_text()
            link = page.locator("aiops-chat .sources a").first
            link_text, href = link.inner_text(), link.get_attribute("href")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "widget.png"))
        finally:
            browser.close()
    assert answer == ANSWER
    assert link_text == "[1] docs/runbooks/dolibarr-redeploy.md:12-30"
    assert href == "https://git.example.org/ops/infrastructure/-/blob/main/docs/runbooks/dolibarr-redeploy.md#L12-30"
    assert (ARTIFACTS / "widget.png").stat().st_size > 5_000
