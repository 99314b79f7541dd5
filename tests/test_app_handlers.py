"""The app's request handlers, through Flask's test client: what each page shows and what each form does."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from cpsim.app import create_app
from cpsim.app.jobs import Job
from cpsim.model import PROCEDURES_DIR
from cpsim.model.scenario import SCENARIOS_DIR, load_scenario
from cpsim.reports.text.compare import comparison_json
from cpsim.simulate.experiments.compare import compare_scenarios

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SCENARIOS_DIR / "redcar-baseline.yaml", work)
    shutil.copy(PROCEDURES_DIR / "redcar-internal.yaml", work)
    return work


@pytest.fixture
def client(folder: Path, tmp_path: Path) -> FlaskClient:
    app = create_app(folder, folder, scratch=tmp_path / "scratch")
    return app.test_client()


def _wait(client: FlaskClient, location: str, timeout: float = 120) -> dict[str, object]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status = client.get(f"{location}/status").get_json()
        assert isinstance(status, dict)
        if status["state"] != "running":
            return status
        time.sleep(0.1)
    raise AssertionError("the run did not finish")


def _run(client: FlaskClient, **form: str) -> str:
    data = {"replications": "4", "seed": "7", "workers": "1", **form}
    response = client.post("/scenario/redcar-baseline.yaml/run", data=data)
    assert response.status_code == 303, response.data.decode()[:2000]
    return str(response.headers["Location"])


def test_the_index_lists_the_folders_procedures_and_scenarios(client: FlaskClient) -> None:
    page = client.get("/").data.decode()
    assert 'href="/procedure/redcar-internal.yaml"' in page
    assert 'href="/scenario/redcar-baseline.yaml"' in page
    assert "Conference chair challenge — internal route" in page


def test_without_a_folder_the_shipped_files_are_listed(tmp_path: Path) -> None:
    page = create_app(None, tmp_path, scratch=tmp_path / "s").test_client().get("/").data.decode()
    assert "wakefield-chair-concern.yaml" in page and "redcar-demand-plus-50.yaml" in page


def test_a_procedure_page_shows_the_ladder_findings_with_clauses_and_plain_english(client: FlaskClient) -> None:
    page = client.get("/procedure/redcar-internal.yaml").data.decode()
    assert "Level 2 — service manager" in page and "within 2 working days" in page  # the ladder
    assert "TARGET_NEVER_STARTS" in page  # a finding of cpsim verify ...
    assert "“It is anticipated that any issues raised through the above route, will be resolved" in page  # its clause
    assert "UNSPECIFIED" in page  # cpsim show's plain English
    assert "Stoke-on-Trent" in page  # timescales beside another authority's
    svg = client.get("/procedure/redcar-internal.yaml/flowchart.svg")
    assert svg.mimetype == "image/svg+xml" and svg.data.startswith(b"<?xml")


def test_a_name_outside_the_folder_is_not_found(client: FlaskClient) -> None:
    assert client.get("/procedure/../../etc/passwd").status_code == 404
    assert client.get("/scenario/redcar-demand-plus-50.yaml").status_code == 404


def test_a_broken_procedure_in_the_folder_shows_its_problems_at_their_lines(client: FlaskClient, folder: Path) -> None:
    text = (folder / "redcar-internal.yaml").read_text(encoding="utf-8").replace("kind: request", "kind: reqest", 1)
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    expected = subprocess.run(
        [sys.executable, "-m", "cpsim", "validate", "broken.yaml"], cwd=folder, capture_output=True, text=True
    ).stderr.splitlines()[0]
    response = client.get("/procedure/broken.yaml")
    assert response.status_code == 422
    page = response.data.decode()
    assert expected in page.replace("&#39;", "'").replace("&#34;", '"')
    line = int(expected.split(":")[1])
    assert re.search(rf'<li id="line-{line}" value="{line}" class="has-problem">', page)


def test_an_uploaded_file_is_checked_as_validate_checks_it(client: FlaskClient, tmp_path: Path) -> None:
    broken = tmp_path / "mine.yaml"
    broken.write_text("id: mine\ntitle: Mine\nauthority: Here\nstages: 3\n", encoding="utf-8")
    expected = subprocess.run(
        [sys.executable, "-m", "cpsim", "validate", "mine.yaml"], cwd=tmp_path, capture_output=True, text=True
    ).stderr.splitlines()
    with broken.open("rb") as f:
        response = client.post("/check", data={"file": (f, "mine.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.data.decode().replace("&#39;", "'").replace("&#34;", '"')
    for line in expected[:-1]:
        assert line in page
    assert "Line 4:" in page


def test_a_valid_upload_is_ok(client: FlaskClient) -> None:
    with (PROCEDURES_DIR / "redcar-external.yaml").open("rb") as f:
        response = client.post("/check", data={"file": (f, "redcar-external.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "redcar-external.yaml: ok" in response.data.decode()


def test_the_form_shows_the_baselines_values_with_labels(client: FlaskClient) -> None:
    page = client.get("/scenario/redcar-baseline.yaml").data.decode()
    assert (
        '<label for="f-staff-service-manager-headcount">Social worker&#39;s service manager: headcount</label>' in page
    )
    assert 'name="staff.service_manager.headcount" type="text" inputmode="decimal" value="3"' in page
    ids = set(re.findall(r'<(?:input|select) id="([^"]+)"', page))
    labelled = set(re.findall(r'<label for="([^"]+)"', page))
    assert ids and ids <= labelled  # every control has a label


def test_a_bad_value_gets_the_loaders_message_at_its_field(client: FlaskClient) -> None:
    response = client.post("/scenario/redcar-baseline.yaml/run", data={"staff.service_manager.absence.share": "1.5"})
    assert response.status_code == 422
    page = response.data.decode()
    message = "share must be at most 1.0, got 1.5 (probabilities and shares run from 0 to 1)"
    assert re.search(r"redcar-baseline-what-if\.yaml:\d+:\d+: " + re.escape(message), page)
    assert f'<strong class="error">{message}</strong>' in page
    assert 'value="1.5"' in page  # what was typed is kept


def test_a_what_if_with_no_change_is_refused(client: FlaskClient) -> None:
    response = client.post("/scenario/redcar-baseline.yaml/run", data={"staff.service_manager.headcount": "3"})
    assert response.status_code == 422
    assert "Change at least one value" in response.data.decode()


def test_bad_run_options_are_named(client: FlaskClient) -> None:
    data = {"staff.service_manager.headcount": "2", "replications": "0", "seed": "x"}
    page = client.post("/scenario/redcar-baseline.yaml/run", data=data).data.decode()
    assert "replications must be at least 1, got 0" in page and "seed must be a whole number, got &#39;x&#39;" in page


def test_a_run_gives_the_figures_of_compare_with_the_same_seed(client: FlaskClient, folder: Path) -> None:
    location = _run(client, **{"staff.service_manager.headcount": "1"})
    assert _wait(client, location)["state"] == "done"
    page = client.get(location).data.decode()
    base = load_scenario(folder / "redcar-baseline.yaml")
    expected = comparison_json(
        compare_scenarios(base, base.with_setting("staff.service_manager.headcount", 1), replications=4, seed=7)
    )
    first = expected["measures"][0]
    row = re.search(r'<tr data-measure="redcar-internal/five-working-days breach rate"[^>]*>', page)
    assert row is not None
    assert f'data-a="{first["a"]}"' in row.group(0) and f'data-b="{first["b"]}"' in row.group(0)
    assert expected["verdict"][0] in page.replace("&#39;", "'")
    assert client.get(f"{location}/compare.svg").data.startswith(b"<?xml")
    charts = re.findall(r'src="(/runs/[0-9a-f]+/chart/\d+)"', page)
    assert len(charts) >= 3 and all(client.get(c).data[:4] == b"\x89PNG" for c in charts)


def test_the_report_downloads_as_one_html_file(client: FlaskClient) -> None:
    location = _run(client, **{"arrivals.rate": "1.8"})
    _wait(client, location)
    response = client.get(f"{location}/report.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    html = response.data.decode()
    assert "Compared with the baseline" in html and "Challenges raised per working day 1.8 instead of 1.2" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


def test_save_writes_a_file_that_extends_the_baseline_and_never_overwrites_unasked(
    client: FlaskClient, folder: Path
) -> None:
    location = _run(client, **{"staff.service_manager.headcount": "1", "route.0.deadline.level2": "1"})
    _wait(client, location)
    saved = client.post(f"{location}/save", data={"file_name": "one-sm.yaml"})
    assert saved.status_code == 200 and "finds it valid: <code>one-sm.yaml: ok</code>" in saved.data.decode()
    text = (folder / "one-sm.yaml").read_text(encoding="utf-8")
    assert "extend: redcar-baseline.yaml" in text and "procedure: procedures/redcar-internal-one-sm.yaml" in text
    draft = (folder / "procedures" / "redcar-internal-one-sm.yaml").read_text(encoding="utf-8")
    assert "A WHAT-IF EDIT" in draft
    check = subprocess.run([sys.executable, "-m", "cpsim", "validate", "one-sm.yaml"], cwd=folder, capture_output=True)
    assert check.returncode == 0, check.stderr
    (folder / "one-sm.yaml").write_text("# mine\n", encoding="utf-8")
    again = client.post(f"{location}/save", data={"file_name": "one-sm.yaml"})
    assert again.status_code == 409 and "Replace the existing file" in again.data.decode()
    assert (folder / "one-sm.yaml").read_text(encoding="utf-8") == "# mine\n"
    confirmed = client.post(f"{location}/save", data={"file_name": "one-sm.yaml", "replace": "yes"})
    assert confirmed.status_code == 200 and (folder / "one-sm.yaml").read_text(encoding="utf-8") == text
    assert client.post(f"{location}/save", data={"file_name": "../x.yaml"}).status_code == 422


def test_cancel_stops_a_long_run(client: FlaskClient) -> None:
    location = _run(client, replications="3000", **{"staff.service_manager.headcount": "2"})
    deadline = time.monotonic() + 60
    while client.get(f"{location}/status").get_json()["done"] < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.post(f"{location}/cancel").status_code == 303
    status = _wait(client, location, timeout=60)
    assert status["state"] == "cancelled" and int(str(status["done"])) < 9000
    assert "The run was cancelled" in client.get(location).data.decode()


def test_an_unreachable_dask_scheduler_is_reported_on_the_page(client: FlaskClient) -> None:
    location = _run(client, scheduler="tcp://127.0.0.1:9", **{"staff.service_manager.headcount": "2"})
    status = _wait(client, location, timeout=90)
    assert status["state"] == "failed" and "cannot reach the Dask scheduler" in str(status["error"])


def test_a_job_runs_on_a_process_pool_with_the_same_figures(folder: Path, tmp_path: Path) -> None:
    from cpsim.app.jobs import RunOptions
    from cpsim.app.whatif import WhatIf

    base = load_scenario(folder / "redcar-baseline.yaml")
    b = base.with_setting("staff.service_manager.headcount", 1)
    spec = WhatIf(folder / "redcar-baseline.yaml", "x", "x", ())
    one, two = (Job(f"j{w}", base, b, spec, RunOptions(4, 7, w), tmp_path / f"w{w}") for w in (1, 2))
    for job in (one, two):
        job.execute()
        assert job.state == "done", job.error
    assert one.outcome is not None and two.outcome is not None
    assert one.outcome.comparison["measures"] == two.outcome.comparison["measures"]


def test_a_post_from_another_site_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/scenario/redcar-baseline.yaml/run",
        data={"staff.service_manager.headcount": "1"},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 403


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning")
def test_a_run_on_a_dask_scheduler_gives_the_same_figures_as_in_the_app(client: FlaskClient) -> None:
    from distributed import LocalCluster

    form = {"staff.service_manager.headcount": "1"}
    here = _run(client, **form)
    _wait(client, here)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=40
    ) as cluster:
        address = str(cluster.scheduler_address)
        there = _run(client, scheduler=address, **form)
        assert _wait(client, there)["state"] == "done"
    rows = [re.findall(r"<tr data-measure=[^>]*>", client.get(loc).data.decode()) for loc in (here, there)]
    assert rows[0] and rows[0] == rows[1]
    assert f"on the Dask cluster at {address}" in client.get(there).data.decode()


def test_a_problem_links_to_the_field_it_is_about(client: FlaskClient) -> None:
    page = client.post("/scenario/redcar-baseline.yaml/run", data={"arrivals.rate": "0"}).data.decode()
    assert re.search(r'<a href="#f-arrivals-rate">redcar-baseline-what-if\.yaml:\d+:\d+: rate must be more', page)


def test_every_page_is_served_by_the_app_itself(client: FlaskClient) -> None:
    """Nothing is fetched from elsewhere: no script, style, font or image from another address."""
    location = _run(client, **{"staff.service_manager.headcount": "2"})
    _wait(client, location)
    for url in ("/", "/check", "/procedure/redcar-internal.yaml", "/scenario/redcar-baseline.yaml", location):
        page = client.get(url).data.decode()
        outside = re.findall(r'(?:src|href)="(?!/|#)([^"]*)"', page)
        assert not outside, (url, outside)
        assert "@import" not in page and "url(http" not in page
    css = client.get("/static/app.css").data.decode()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_the_app_leaves_the_allowed_folders_as_it_found_them(client: FlaskClient) -> None:
    import os

    before = os.environ.get("CPSIM_ALLOW_PATHS")
    location = _run(client, **{"staff.service_manager.headcount": "2"})
    assert os.environ.get("CPSIM_ALLOW_PATHS") == before
    _wait(client, location)
