"""Renders assets/og-image.png (1200x630), the picture shown when a KeyCraft link is shared.

Run once with ``PYTHONPATH=. .venv/bin/python scripts/make_og_image.py`` (needs Chromium);
the PNG is committed. It draws the demo piece's piano roll beside the product name.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from keycraft.services.demo_piece import demo_roll

OUT = Path(__file__).resolve().parent.parent / "assets" / "og-image.png"


def _roll_svg() -> str:
    layout = demo_roll()
    lanes = "".join(
        f'<rect x="0" y="{lane.top_pct}" width="100" height="{lane.height_pct}" fill="#eef0f6"/>'
        for lane in layout.lanes
        if lane.is_black
    )
    notes = "".join(
        f'<rect x="{n.left_pct}" y="{n.top_pct}" width="{max(n.width_pct - 0.3, 0.4)}" '
        f'height="{n.height_pct}" rx="0.4" fill="#3e63dd"/>'
        for n in layout.notes
    )
    return (
        '<svg viewBox="0 0 100 100" preserveAspectRatio="none" width="560" height="400">'
        f'<rect width="100" height="100" fill="#fff"/>{lanes}{notes}</svg>'
    )


def main() -> None:
    """Render the card in Chromium and save the screenshot."""
    html = f"""<html><body style="margin:0;width:1200px;height:630px;display:flex;
      align-items:center;gap:48px;padding:0 64px;box-sizing:border-box;font-family:sans-serif;
      background:linear-gradient(135deg,#eef1ff,#dfe5ff)">
      <div style="flex:1"><div style="font-size:30px;color:#3e63dd;font-weight:700">KeyCraft</div>
      <div style="font-size:58px;font-weight:800;line-height:1.1;color:#1c2024;margin-top:16px">
      Piano recordings to editable MIDI</div>
      <div style="font-size:26px;color:#60646c;margin-top:20px">Record, transcribe, fix, play,
      download.</div></div>
      <div style="border-radius:16px;overflow:hidden;box-shadow:0 10px 30px #0002">{_roll_svg()}
      </div></body></html>"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(html)
        page.screenshot(path=str(OUT))
        browser.close()
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
