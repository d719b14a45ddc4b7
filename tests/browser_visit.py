"""A page open in the tests' headless Chromium (conftest's `chromium`, `visit`), with what it logged and asked for:
the one home of the browser tests' "offline, no console error" checks and their screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CHARTS_DRAWN = "html[data-charts-drawn=true]"


def outside(urls: list[str]) -> list[str]:
    """The URLs that leave the disk (not file:, data:, blob: or about:)."""
    return [url for url in urls if not url.startswith(LOCAL_SCHEMES)]


class Visit:
    """One page open in Chromium: loaded (`wait_until`), then `ready` (a selector; the site's pages set
    data-charts-drawn once every chart is drawn) attached; its console errors and every URL it asked for kept."""

    def __init__(
        self,
        context: Any,
        path: Path,
        ready: str | None = CHARTS_DRAWN,
        wait_until: str = "load",
        timeout: int = 20_000,
    ) -> None:
        self.console_errors: list[str] = []
        self.requests: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.goto(path.as_uri(), wait_until=wait_until)
        if ready:
            self.page.wait_for_selector(ready, state="attached", timeout=timeout)

    def outside_requests(self) -> list[str]:
        return outside(self.requests)

    def charts(self) -> list[dict[str, Any]]:
        return self.page.evaluate(
            """() => Array.from(document.querySelectorAll('div.chart')).map(chart => ({
                component: chart.dataset.component,
                drawn: chart.dataset.drawn,
                svgs: chart.querySelectorAll('svg').length,
                marks: chart.querySelectorAll('svg .mark-line path, svg .mark-rect path, svg .mark-symbol path,'
                                              + ' svg .mark-area path, svg .mark-text text').length,
            }))"""
        )

    def screenshot(self, name: str, folder: str = "reports") -> Path:
        """A full-page screenshot kept in test-artifacts/<folder>/<name>.png."""
        path = ARTIFACTS / folder / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path
