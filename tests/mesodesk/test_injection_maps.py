"""Tests: injection maps stored with sessions, carried by "reprendre", series and protocols."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from mesodesk import diagrams, injection_map, serialize
from mesodesk.domain import Side, Zone
from mesodesk.injection_map import InjectionMap, MapView, MapZone, ViewMap, point
from mesodesk.patient_export import export_json, load
from mesodesk.series import ProtocolDraft, SeriesDecision
from mesodesk.services import Services, open_services
from mesodesk.session_json import draft_from_json
from mesodesk.validation import ValidationError
from tests import factories as f
from tests.mesodesk_app.test_cli import PASSPHRASE, run

KNEE = ((0.3, 0.4), (0.7, 0.4), (0.7, 0.6), (0.3, 0.6))


def knee_map() -> InjectionMap:
    return InjectionMap(
        (
            ViewMap(
                MapView.GENOU_DROIT,
                (point(0.41, 0.63, 0, "0.05"), point(0.45, 0.5, 0), point(0.5, 0.52, 1)),
                (MapZone("Genou", Side.DROITE, KNEE),),
            ),
        )
    )


def test_map_is_saved_read_back_and_counts_points_per_line(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    draft = f.session(services, pid, map=knee_map())
    record = services.sessions.record(draft)
    again = services.sessions.get(record.id)
    assert again.draft.map == knee_map()
    # Line 1 had 40 points typed: the map's 2 points replace them; line 2 gets its 1.
    assert [t.points for t in again.draft.techniques] == [2, 1]
    without = services.sessions.record(f.session(services, pid))
    assert services.sessions.get(without.id).draft.map == InjectionMap()
    assert [t.points for t in services.sessions.get(without.id).draft.techniques] == [40, 40]


def test_session_json_holds_the_map_as_promised(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid, map=knee_map()))
    data = serialize.session(services.sessions.get(record.id))
    view = data["map"]["views"][0]
    assert view["view"] == "genou-droit"
    assert view["points"][0] == {"x": 0.41, "y": 0.63, "technique": 0, "volume_ml": "0.05"}
    assert view["zones"][0]["zone"] == "Genou" and view["zones"][0]["side"] == "droite"
    assert view["zones"][0]["polygon"][0] == [0.3, 0.4]
    assert injection_map.from_json(json.loads(json.dumps(data["map"]))) == knee_map()


def test_map_naming_a_missing_technique_line_is_refused(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    bad = InjectionMap((ViewMap(MapView.CORPS_FACE, (point(0.5, 0.5, 5),)),))
    with pytest.raises(ValidationError) as caught:
        services.sessions.record(f.session(services, pid, map=bad))
    assert caught.value.fields() == {"map"}
    assert "technique 6" in str(caught.value)


def test_update_replaces_the_map_and_removing_it_leaves_no_row(
    services: Services, bound_rows: None
) -> None:
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid, map=knee_map()))
    changed = services.sessions.update(record.id, replace(record.draft, map=InjectionMap()))
    assert changed.draft.map == InjectionMap()
    from db.models import SessionMapRow

    assert SessionMapRow.select().count() == 0


def test_repeat_last_and_series_carry_the_map(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid, map=knee_map()))
    repeated = services.sessions.repeat_last(pid, datetime(2026, 11, 23, 10))
    assert repeated is not None and repeated.map == knee_map()
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    default = InjectionMap((ViewMap(MapView.EPAULE_GAUCHE, (point(0.5, 0.4),)),))
    services.series.save_protocol(replace(protocol.draft, map=default), protocol.id)
    assert services.series.protocol(protocol.id).draft.map == default
    series = services.series.start(pid, protocol.id, date(2026, 11, 2))
    first = services.series.next_session(series.id, datetime(2026, 11, 2, 10))
    assert first.map == default
    saved = services.sessions.record(
        replace(f.session(services, pid), **_series_fields(first), map=knee_map())
    )
    second = services.series.next_session(series.id, datetime(2026, 11, 9, 10))
    assert saved.draft.series_id == series.id and second.map == knee_map()


def _series_fields(draft: object) -> dict[str, Any]:
    names = ("performed_at", "series_id", "series_rank", "series_total")
    return {n: getattr(draft, n) for n in names}


def test_protocol_map_is_validated(services: Services) -> None:
    bad = InjectionMap((ViewMap(MapView.CORPS_FACE, (point(0.5, 0.5, 0),)),))
    with pytest.raises(ValidationError) as caught:
        services.series.save_protocol(ProtocolDraft("Test", "Arthrose", 2, (7,), map=bad))
    assert "map" in caught.value.fields()


def test_series_evaluation_is_asked_after_three_sessions_and_kept(services: Services) -> None:
    pid = services.patients.register(f.patient()).id
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(pid, protocol.id, date(2026, 11, 2))
    for day in (2, 9, 16):
        nxt = services.series.next_session(series.id, datetime(2026, 11, day, 10))
        services.sessions.record(replace(f.session(services, pid), **_series_fields(nxt)))
        if day < 16:
            assert not services.series.get(series.id).needs_evaluation()
    assert services.series.get(series.id).needs_evaluation()
    with pytest.raises(ValidationError):
        services.series.evaluate(series.id, SeriesDecision.ADAPTER, "x\x00")
    done = services.series.evaluate(series.id, SeriesDecision.ARRETER, "EVA stable à 6")
    assert done.stopped and not done.needs_evaluation()
    assert [(e.after_rank, e.decision, e.note) for e in done.evaluations] == [
        (3, SeriesDecision.ARRETER, "EVA stable à 6")
    ]


def test_export_round_trips_maps(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    record = services.sessions.record(f.session(services, pid, map=knee_map()))
    data = load(export_json(services.export.patient_file(pid)))
    back = [draft_from_json(s) for s in data["sessions"]]
    assert back == [services.sessions.get(record.id).draft]
    assert back[0].map == knee_map()


def test_painted_zones_are_named_from_the_diagram() -> None:
    # Front view: the patient's right knee is on the image's left.
    left_knee_area = ((0.36, 0.62), (0.46, 0.62), (0.41, 0.65))
    assert diagrams.name_zone(MapView.CORPS_FACE, left_knee_area) == ("Genou", Side.DROITE)
    lumbar = ((0.42, 0.38), (0.58, 0.38), (0.5, 0.42))
    assert diagrams.name_zone(MapView.CORPS_DOS, lumbar) == ("Rachis lombaire", Side.AUCUN)
    assert diagrams.name_zone(MapView.GENOU_GAUCHE, KNEE) == ("Genou", Side.GAUCHE)
    assert diagrams.name_zone(MapView.CUIR_CHEVELU, KNEE) == ("Cuir chevelu", Side.AUCUN)
    views = [v for v, _ in diagrams.regions_for("genou", Side.DROITE)]
    assert MapView.GENOU_DROIT in views and MapView.GENOU_GAUCHE not in views


def test_every_view_has_a_drawing_and_the_licence_ships() -> None:
    for view in MapView:
        d = diagrams.diagram(view)
        assert d.strokes and 0.3 < d.aspect < 1.5
        for stroke in d.strokes:
            for _, values in stroke.ops:
                assert all(-0.01 <= v <= 1.01 for v in values), view
    assert "CC BY 4.0" in diagrams.licence_text()


def test_points_follow_technique_lines_when_one_is_removed() -> None:
    m = InjectionMap(
        (ViewMap(MapView.CORPS_FACE, (point(0.1, 0.1, 0), point(0.2, 0.2, 1), point(0.3, 0.3, 2))),)
    )
    shifted = injection_map.renumber_techniques(m, 1)
    assert [p.technique for p in shifted.views[0].points] == [0, None, 1]
    assert injection_map.point_counts(m)[2] == 1


def test_command_line_shows_and_draws_a_map(tmp_path: Path) -> None:
    path = tmp_path / "cartes.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        pid = services.patients.register(f.patient()).id
        sid = services.sessions.record(
            f.session(services, pid, zones=(Zone("Genou", Side.DROITE),), map=knee_map())
        ).id
        bare = services.sessions.record(f.session(services, pid)).id
    finally:
        services.close()
    shown = run("--db", str(path), "sessions", "show", str(sid), "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["map"]["views"][0]["points"][0]["volume_ml"] == "0.05"
    day = json.loads(run("--db", str(path), "day", "show", "2026-11-23", "--json").stdout)
    assert day["sessions"][0]["map"]["views"][0]["view"] == "genou-droit"
    png = tmp_path / "carte.png"
    drawn = run("--db", str(path), "sessions", "map", str(sid), "-o", str(png))
    assert drawn.returncode == 0, drawn.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 3000
    refused = run("--db", str(path), "sessions", "map", str(bare), "-o", str(png))
    assert refused.returncode == 1 and "pas de carte" in refused.stderr
    other = tmp_path / "dos.png"
    assert (
        run(
            "--db", str(path), "sessions", "map", str(bare), "-o", str(other), "--view", "corps-dos"
        ).returncode
        == 0
    )
    assert other.exists()


def test_command_line_draws_and_lists_the_eva(tmp_path: Path) -> None:
    path = tmp_path / "eva.sqlite"
    services = open_services(path, passphrase=PASSPHRASE)
    try:
        pid = services.patients.register(f.patient()).id
        for day, (before, after) in enumerate(((7, 4), (6, 5), (6, 6))):
            services.sessions.record(
                f.session(
                    services,
                    pid,
                    indication="Lombalgie",
                    eva_before=before,
                    eva_after=after,
                    performed_at=datetime(2026, 11, 2 + 7 * day, 9),
                )
            )
    finally:
        services.close()
    listed = run(
        "--db", str(path), "patients", "eva", str(pid), "--indication", "lombalgie", "--json"
    )
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert data["indication"] == "Lombalgie"
    assert [(s["eva_before"], s["eva_after"], s["eva_next_visit"]) for s in data["sessions"]] == [
        (7, 4, 6),
        (6, 5, 6),
        (6, 6, None),
    ]
    png = tmp_path / "eva.png"
    drawn = run("--db", str(path), "patients", "eva", str(pid), "-o", str(png))
    assert drawn.returncode == 0 and png.read_bytes()[:4] == b"\x89PNG"
    missing = run("--db", str(path), "patients", "eva", str(pid), "--indication", "Genou")
    assert missing.returncode == 1 and "Lombalgie" in missing.stderr
    table = tmp_path / "stats.csv"
    stats = run(
        "--db", str(path), "stats", "--from", "2026-11-01", "--to", "2026-11-30", "-o", str(table)
    )
    assert stats.returncode == 0, stats.stderr
    assert "Lombalgie;3;1,33;1;1,00" in table.read_text(encoding="utf-8-sig")
