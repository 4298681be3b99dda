"""Tests (UI): the injection map in the session form — clicks, zones, undo, list in step."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from mesodesk.domain import Side, Zone
from mesodesk.injection_map import InjectionMap, MapView
from mesodesk.services import Services
from tests import factories as f
from tests.conftest import FakeClock
from tests.mesodesk.test_injection_maps import knee_map
from tests.ui.conftest import PromptRecorder
from tests.ui.helpers import choose
from ui.map_widget import MapWidget
from ui.session_form import SessionDialog


def make(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    session_id: int | None = None,
) -> SessionDialog:
    record = services.sessions.get(session_id) if session_id else None
    dialog = SessionDialog(
        services.sessions, services.patients, services.products, patient_id, record, now=clock
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def at(widget: MapWidget, x: float, y: float) -> QPoint:
    """Where the point (x, y) of the current view is on the canvas, in pixels."""
    return widget.canvas.mapFromScene(widget.scene.to_scene(x, y))


def click(qtbot: QtBot, widget: MapWidget, x: float, y: float) -> None:
    qtbot.mouseClick(widget.canvas.viewport(), Qt.MouseButton.LeftButton, pos=at(widget, x, y))


def drag(qtbot: QtBot, widget: MapWidget, path: list[tuple[float, float]]) -> None:
    viewport = widget.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(widget, *path[0]))
    for x, y in path[1:]:
        qtbot.mouseMove(viewport, at(widget, x, y))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(widget, *path[-1]))


@pytest.fixture
def patient_id(services: Services) -> int:
    return services.patients.register(f.patient()).id


def test_clicks_place_points_and_a_drag_paints_the_named_zone(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    prompts_answered: PromptRecorder,
) -> None:
    record = services.sessions.record(f.session(services, patient_id, zones=()))
    dialog = make(qtbot, services, clock, patient_id, record.id)
    m = dialog.map_panel.map
    m.set_view(MapView.GENOU_DROIT)
    choose(m.line_combo, "Ligne 2")
    for x, y in ((0.45, 0.45), (0.55, 0.45), (0.5, 0.55)):
        click(qtbot, m, x, y)
    choose(m.line_combo, "Ligne 1")
    click(qtbot, m, 0.5, 0.35)
    assert len(m.model.points(MapView.GENOU_DROIT)) == 4
    # The line's points field follows the map.
    assert dialog.techniques.editors[1].points.value() == 3
    assert dialog.techniques.editors[0].points.value() == 1
    m.modes.buttons()[1].click()  # Zone
    drag(qtbot, m, [(0.35, 0.4), (0.65, 0.4), (0.65, 0.6), (0.35, 0.6), (0.36, 0.41)])
    zones = [e.value() for e in dialog.zones.editors]
    assert Zone("Genou", Side.DROITE) in zones
    assert dialog.save()
    saved = services.sessions.get(record.id).draft
    view = saved.map.view(MapView.GENOU_DROIT)
    assert view is not None and [p.technique for p in view.points] == [1, 1, 1, 0]
    assert abs(view.points[0].x - 0.45) < 0.01 and abs(view.points[0].y - 0.45) < 0.01
    assert [(z.zone, z.side) for z in view.zones] == [("Genou", Side.DROITE)]
    assert len(view.zones[0].polygon) >= 4
    assert [t.points for t in saved.techniques] == [1, 3]
    assert Zone("Genou", Side.DROITE) in saved.zones


def test_undo_and_redo_restore_points_and_zones(qtbot: QtBot) -> None:
    m = MapWidget()
    qtbot.addWidget(m)
    m.resize(400, 700)
    m.show()
    qtbot.waitExposed(m)
    click(qtbot, m, 0.5, 0.3)
    click(qtbot, m, 0.52, 0.32)
    m.paint_zone([(0.4, 0.6), (0.45, 0.6), (0.45, 0.65)])
    assert m.model.value().point_count() == 2 and len(m.model.zones(m.view)) == 1
    m.activateWindow()
    qtbot.waitUntil(m.isActiveWindow)
    m.canvas.setFocus()
    qtbot.keyClick(m.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(m.model.zones(m.view)) == 0
    qtbot.keyClick(m.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert m.model.value().point_count() == 1
    qtbot.keyClick(
        m.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert m.model.value().point_count() == 2 and len(m.scene.items_by_id) == 2
    # Select both, move them, give them a line and a volume, then remove: each step undoes.
    ids = list(m.model.points(m.view))
    m.select_points(ids)
    before = m.model.value()
    m.set_technique_lines(["Manuelle IDS 1,5 mm"])
    m.volume.setValue(0.05)
    m.apply_to_selection()
    assert {(p.technique, str(p.volume_ml)) for p in m.model.points(m.view).values()} == {
        (0, "0.05")
    }
    m.move_points(ids, 0.1, 0.0)
    m.remove_selection()
    assert m.model.value().point_count() == 0
    for _ in range(3):
        m.undo_stack.undo()
    assert m.model.value() == before


def test_choosing_a_zone_in_the_list_highlights_it_on_the_map(
    qtbot: QtBot, services: Services, clock: FakeClock, patient_id: int
) -> None:
    dialog = make(qtbot, services, clock, patient_id)
    m = dialog.map_panel.map
    editor = dialog.zones.editors[0]
    editor.zone.setEditText("Genou")
    choose(editor.side, "gauche")
    # Not painted: the region of the diagram is shown (the body seen from the front).
    assert m.scene.highlight is not None
    box = m.scene.highlight.path().boundingRect()
    assert m.view is MapView.CORPS_FACE and box.center().x() > m.scene.rect.width() / 2
    m.set_view(MapView.CUIR_CHEVELU)
    m.model.load(knee_map())
    second = dialog.zones.add_line()
    second.zone.setEditText("Genou")
    choose(second.side, "droite")
    second.zone.setFocus()
    QApplication.processEvents()
    assert m.scene.view == MapView.GENOU_DROIT and m.scene.highlight is not None


def test_map_survives_reprendre_and_a_removed_technique_line(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
) -> None:
    services.sessions.record(f.session(services, patient_id, map=knee_map()))
    dialog = make(qtbot, services, clock, patient_id)
    dialog.repeat_last()
    assert dialog.map_panel.value() == knee_map()
    assert dialog.draft().map == knee_map()
    dialog.techniques.editors[0].remove_button.click()
    techniques = [p.technique for p in dialog.draft().map.views[0].points]
    assert techniques == [None, None, 0]


def test_map_survives_a_series(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
) -> None:
    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(patient_id, protocol.id, clock().date())
    first = services.series.next_session(series.id, datetime(2026, 11, 23, 9))
    services.sessions.record(
        replace(
            f.session(services, patient_id),
            series_id=series.id,
            series_rank=1,
            series_total=first.series_total,
            map=knee_map(),
        )
    )
    nxt = services.series.next_session(series.id, datetime(2026, 11, 23, 10))
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        patient_id,
        now=clock,
        initial=nxt,
    )
    qtbot.addWidget(dialog)
    assert dialog.map_panel.value() == knee_map()
    assert dialog.draft().map == knee_map() != InjectionMap()


def test_patient_file_shows_a_session_map_the_overlay_and_the_eva_chart(
    qtbot: QtBot, services: Services, patient_id: int
) -> None:
    from ui.patient_outcomes import OutcomesPanel

    evas = ((7, 4), (5, 3), (4, 2))
    for day, (before, after) in enumerate(evas):
        services.sessions.record(
            f.session(
                services,
                patient_id,
                performed_at=datetime(2026, 11, 2 + 7 * day, 9),
                indication="Arthrose",
                eva_before=before,
                eva_after=after,
                map=knee_map(),
            )
        )
    services.sessions.record(f.session(services, patient_id, indication="Lombalgie"))
    panel = OutcomesPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 420)
    panel.show()
    panel.show_sessions(services.sessions.for_patient(patient_id))
    assert [panel.indication.itemText(i) for i in range(panel.indication.count())] == [
        "Lombalgie",
        "Arthrose",
    ]
    choose(panel.indication, "Arthrose")
    assert panel.session_map.view is MapView.GENOU_DROIT
    assert [a for _, a in panel.overlay_map.layers] == [60, 158, 255]
    assert "3 séance(s)" in panel.overlay_caption.text()
    chart = panel.chart
    assert [(p.before, p.after, p.next_before) for p in chart.points] == [
        (7, 4, 5),
        (5, 3, 4),
        (4, 2, None),
    ]
    from ui.eva_chart import EvaLayout, eva_tip

    layout = EvaLayout(chart.points, chart.rect().toRectF())
    x = layout.x(chart.points[1])
    qtbot.waitExposed(panel)
    where = QPointF(x, chart.height() / 2)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        where,
        chart.mapToGlobal(where),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(chart, move)
    assert chart.hovered is chart.points[1]
    assert eva_tip(chart.points[1]) == ("Séance du 09/11/2026 : EVA 5 → 3, 4 à la visite suivante")
    image = panel.overlay_map.grab().toImage()
    assert image.pixelColor(0, 0).name() == "#ffffff"


def test_next_session_after_the_third_asks_the_series_evaluation(
    qtbot: QtBot,
    services: Services,
    clock: FakeClock,
    patient_id: int,
    prompts_answered: PromptRecorder,
) -> None:
    from mesodesk.series import SeriesDecision

    protocol = next(p for p in services.series.protocols() if p.draft.name.startswith("Arth"))
    series = services.series.start(patient_id, protocol.id, date(2026, 11, 2))
    for rank, day in enumerate((2, 9, 16), start=1):
        services.sessions.record(
            replace(
                f.session(services, patient_id),
                series_id=series.id,
                series_rank=rank,
                series_total=4,
                performed_at=datetime(2026, 11, day, 9),
            )
        )
    nxt = services.series.next_session(series.id, datetime(2026, 11, 23, 9))
    dialog = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        patient_id,
        now=clock,
        initial=nxt,
        series=services.series,
    )
    qtbot.addWidget(dialog)
    assert not dialog.evaluation.isHidden()
    assert "3 séances faites" in dialog.evaluation.intro.text()
    dialog.evaluation.buttons[SeriesDecision.ADAPTER].setChecked(True)
    dialog.evaluation.note.setText("EVA stable : on passe en IDP")
    assert dialog.save()
    record = services.series.get(series.id)
    assert [(e.decision, e.note) for e in record.evaluations] == [
        (SeriesDecision.ADAPTER, "EVA stable : on passe en IDP")
    ]
    # Evaluated: the following form does not ask again.
    again = SessionDialog(
        services.sessions,
        services.patients,
        services.products,
        patient_id,
        now=clock,
        initial=nxt,
        series=services.series,
    )
    qtbot.addWidget(again)
    assert again.evaluation.isHidden()


def test_protocol_editor_holds_a_default_map(qtbot: QtBot, services: Services) -> None:
    from ui.protocols import ProtocolsDialog

    dialog = ProtocolsDialog(services)
    qtbot.addWidget(dialog)
    dialog.resize(1340, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    chosen = dialog.current
    assert chosen is not None and chosen.draft.map == InjectionMap()
    m = dialog.map_panel.map
    m.set_view(MapView.GENOU_GAUCHE)
    click(qtbot, m, 0.5, 0.45)
    click(qtbot, m, 0.55, 0.5)
    assert dialog.save()
    saved = services.series.protocol(chosen.id).draft.map
    view = saved.view(MapView.GENOU_GAUCHE)
    assert view is not None and len(view.points) == 2
    assert {p.technique for p in view.points} == {0 if chosen.draft.techniques else None}


def test_a_point_is_dragged_to_its_new_place_and_the_move_undoes(qtbot: QtBot) -> None:
    m = MapWidget()
    qtbot.addWidget(m)
    m.resize(400, 700)
    m.show()
    qtbot.waitExposed(m)
    click(qtbot, m, 0.5, 0.3)
    (point_id,) = list(m.model.points(m.view))
    viewport = m.canvas.viewport()

    def send(kind: QEvent.Type, x: float, y: float, buttons: Qt.MouseButton) -> None:
        where = QPointF(at(m, x, y))
        event = QMouseEvent(
            kind,
            where,
            viewport.mapToGlobal(where),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)

    held = Qt.MouseButton.LeftButton
    send(QEvent.Type.MouseButtonPress, 0.5, 0.3, held)
    for step in range(1, 6):
        send(QEvent.Type.MouseMove, 0.5 + 0.02 * step, 0.3 + 0.02 * step, held)
    send(QEvent.Type.MouseButtonRelease, 0.6, 0.4, Qt.MouseButton.NoButton)
    moved = m.model.points(m.view)[point_id]
    assert abs(moved.x - 0.6) < 0.01 and abs(moved.y - 0.4) < 0.01
    assert m.model.value().point_count() == 1
    m.undo_stack.undo()
    back = m.model.points(m.view)[point_id]
    assert abs(back.x - 0.5) < 0.01 and abs(back.y - 0.3) < 0.01
