"""The same app in scale-out mode: Redis-held state, two workers, DynamoDB and S3.

The journey test signs in, imports a MIDI file and exports it; the others check health (the
remote transcriber included) and metrics. All share one served app (``scale_out_app``).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable

import httpx
import mido
import redis
from playwright.sync_api import Browser, Page, expect
from prometheus_client.parser import text_string_to_metric_families

from keycraft.services.auth.passwords import hash_password
from keycraft.services.experiments.catalog import PRICING_CTA
from keycraft.services.experiments.live import LIFECYCLE_CACHE_S
from keycraft.services.notes.midi_io import import_midi
from keycraft.services.repository.dynamodb.keys import QUOTA_SK, project_sk, user_pk
from tests.e2e.conftest import ConsoleLog
from tests.support.dynamodb_local import local_client
from tests.support.experiment_admin import Visitors, manage, restored_after
from tests.support.moto_s3 import s3_client
from tests.support.scale_out import WORKERS, ScaleOutApp, worker_pids
from tests.support.signed_in import create_user, signed_in_context
from tests.support.transcriber_server import RealTranscriber
from tests.support.visitors import visitor_id_for
from tests.support.waiting import wait_for

PASSWORD = "Well-Tempered Clavier 1722"


def test_home_page_renders_and_connects_in_scale_out_mode(
    scale_out_app: ScaleOutApp, page: Page, console: ConsoleLog
) -> None:
    page.goto(scale_out_app.app.url)
    expect(page.get_by_test_id("hero-title")).to_contain_text("KeyCraft")
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert console.errors == []


def test_health_reports_dynamodb_s3_redis_and_the_remote_transcriber_ok(
    scale_out_app: ScaleOutApp, transcriber: RealTranscriber
) -> None:
    url = scale_out_app.app.url
    assert scale_out_app.app.env["TRANSCRIBER_URL"] == transcriber.url
    body = httpx.get(f"{url}/api/health", timeout=10).json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["storage"]["ok"] is True
    # The real transcriber (models loaded: the fixture waited for its /ready), reached with
    # its shared secret.
    assert body["checks"]["transcriber"]["ok"] is True
    reflex_health = httpx.get(f"{url}/_health", timeout=10).json()
    assert reflex_health["redis"] is True


def test_metrics_add_up_across_workers(scale_out_app: ScaleOutApp) -> None:
    url = scale_out_app.app.url

    def health_count() -> float:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == "keycraft_http_requests_total"
            and sample.labels.get("route") == "/api/health"
        )

    before = health_count()
    # New connections each time, so the requests spread over both workers.
    for _ in range(6):
        assert httpx.get(f"{url}/api/health", timeout=10).status_code == 200
    assert health_count() == before + 6


def _wait_for(check: Callable[[], bool], what: str, timeout_s: float = 15.0) -> None:
    wait_for(check, what, timeout_s)


def _melody_midi() -> bytes:
    """Twelve rising notes on one track at 90 BPM, as a user's file would be."""
    midi = mido.MidiFile(type=1, ticks_per_beat=480)
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(90))])
    for i in range(12):
        track.append(mido.Message("note_on", note=60 + i, velocity=70 + i, time=0))
        track.append(mido.Message("note_off", note=60 + i, time=240))
    midi.tracks.append(track)
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def _sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/sign-in?next=/projects")
    # The form's ``next`` field comes from the page's state once the socket has synced it;
    # a test that submits at once can beat that, a person typing a password cannot.
    expect(page.locator("input[name='next']").first).to_have_value("/projects", timeout=30_000)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_test_id("sign-in-submit").click()
    page.wait_for_url(re.compile(r"/projects/?$"), timeout=30_000)


def _redis_keys(redis_url: str, token: str) -> list[str]:
    client = redis.Redis.from_url(redis_url)
    try:
        return [key.decode() for key in client.scan_iter(match=f"{token}*")]
    finally:
        client.close()


def test_sign_in_import_and_export_through_s3_with_state_in_redis(
    scale_out_app: ScaleOutApp, page: Page, console: ConsoleLog
) -> None:
    running = scale_out_app.app
    base_url = running.url
    assert len(worker_pids(running.server)) >= WORKERS
    user = create_user(running, password_hash=hash_password(PASSWORD))
    _sign_in(page, base_url, user.email)

    page.get_by_test_id("new-project-title").fill("Scale-out Study")
    page.get_by_test_id("new-project").click()
    page.wait_for_url("**/editor/*", timeout=30_000)
    expect(page.get_by_test_id("piano-roll")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("note-count")).to_have_text("0")
    project_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    data = _melody_midi()
    expected = import_midi(data).notes
    page.get_by_test_id("import-midi").set_input_files(
        {"name": "study.mid", "mimeType": "audio/midi", "buffer": data}
    )
    expect(page.get_by_test_id("note-count")).to_have_text(str(len(expected)))
    repo = running.repository()

    def saved() -> bool:
        project = repo.get_project(user.id, project_id)
        return project is not None and project.notes == expected

    _wait_for(saved, "the imported notes saved to DynamoDB")

    with page.expect_download() as download_info:
        page.get_by_test_id("export-midi").click()
    download = download_info.value
    assert download.suggested_filename == "Scale-out Study.mid"
    # The app handed the browser a presigned URL on the S3 server, which served it.
    assert download.url.startswith(f"{running.env['S3_ENDPOINT_URL']}/{scale_out_app.bucket}/")
    assert "X-Amz-Signature=" in download.url
    exported = mido.MidiFile(file=io.BytesIO(download.path().read_bytes()))
    assert import_midi(download.path().read_bytes()).notes == expected
    pitches = [m.note for m in mido.merge_tracks(exported.tracks) if m.type == "note_on"]
    assert pitches == [60 + i for i in range(12)]

    # Where each piece of state lives: the tab's Reflex state in Redis, rows in DynamoDB
    # Local (read with a raw client, not through the app's adapter), the file in the bucket.
    token = page.evaluate("window.sessionStorage.getItem('token')")
    keys = _redis_keys(scale_out_app.redis_url, token)
    assert any("editor_state" in key for key in keys), keys
    table = local_client(running.env["DYNAMODB_ENDPOINT_URL"])
    project_row = table.get_item(
        TableName=scale_out_app.table,
        Key={"PK": {"S": user_pk(user.id)}, "SK": {"S": project_sk(project_id)}},
    )
    assert project_row["Item"]["title"]["S"] == "Scale-out Study"
    quota_row = table.get_item(
        TableName=scale_out_app.table, Key={"PK": {"S": user_pk(user.id)}, "SK": {"S": QUOTA_SK}}
    )
    assert quota_row["Item"]["used"]["N"] == "1"
    listed = s3_client(running.env["S3_ENDPOINT_URL"]).list_objects_v2(
        Bucket=scale_out_app.bucket, Prefix=f"users/{user.id}/projects/{project_id}/exports/"
    )
    stored = repo.get_project(user.id, project_id)
    assert stored is not None
    assert [item["Key"].split("/exports/", 1)[1] for item in listed["Contents"]] == [
        f"v{stored.version}/Scale-out-Study.mid"
    ]
    assert console.errors == []


def test_a_staff_decision_reaches_every_worker_within_seconds(
    scale_out_app: ScaleOutApp, browser: Browser
) -> None:
    running = scale_out_app.app
    repo = running.repository()
    person = create_user(running)
    assert manage(running, "staff", "grant", person.email) == f"{person.email} is staff"
    visitors = Visitors(browser, running)
    with restored_after(repo, PRICING_CTA.key):
        staff = signed_in_context(browser, running, person)
        page = staff.new_page()
        page.goto(running.url)
        page.get_by_test_id("nav-admin").click()
        card = page.get_by_test_id(f"experiment-{PRICING_CTA.key}")
        card.get_by_test_id(f"start-{PRICING_CTA.key}").click()
        expect(page.get_by_test_id(f"status-{PRICING_CTA.key}")).to_have_text("running")
        # Visitors on fresh connections, spread over both workers, so each worker has read
        # (and cached) the running experiment before staff decide.
        for _ in range(2 * WORKERS):
            visitors.pricing(visitor_id_for(PRICING_CTA, "control"), PRICING_CTA)
        card.get_by_role("button", name="Declare try_free the winner").click()
        page.get_by_role("alertdialog").get_by_role("button", name="Confirm").click()
        expect(page.get_by_test_id(f"status-{PRICING_CTA.key}")).to_have_text("stopped")
        decided_at = time.monotonic()
        # Every worker re-reads staff decisions after LIFECYCLE_CACHE_S at most, so every
        # fresh visitor who arrives later than that, on whichever worker, sees the winner.
        late: list[str] = []
        while len(late) < 3 * WORKERS:
            arrived_s = time.monotonic() - decided_at
            shown = visitors.pricing(visitor_id_for(PRICING_CTA, "control"), PRICING_CTA)
            if arrived_s > LIFECYCLE_CACHE_S:
                late.append(shown)
        assert late == ["try_free"] * (3 * WORKERS)
        staff.close()
        visitors.close()
