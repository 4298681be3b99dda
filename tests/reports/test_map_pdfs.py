"""Tests: the day register and the patient's copy draw maps and EVA charts as vector paths."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader

from mesodesk.day_review import DayRegister
from mesodesk.services import Services
from reports.day_register import render as render_register
from reports.map_drawing import eva_drawing, map_drawing
from reports.patient_file import render as render_file
from tests import factories as f
from tests.mesodesk.test_injection_maps import knee_map

DAY = date(2026, 11, 23)
# Path-painting operators of a content stream: curves (c) and strokes/fills of paths.
_CURVES = re.compile(rb"(?<![A-Za-z])c\s")


def curves(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    return sum(len(_CURVES.findall(page.get_contents().get_data())) for page in reader.pages)


def register_pdf(services: Services) -> bytes:
    review = services.day.review(DAY)
    return render_register(
        DayRegister(review, services.practitioner.get(), datetime(2026, 11, 23, 19))
    )


def test_register_draws_the_map_of_each_charted_session(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid))
    plain = curves(register_pdf(services))
    services.sessions.record(
        f.session(services, pid, performed_at=datetime(2026, 11, 23, 11), map=knee_map())
    )
    charted = register_pdf(services)
    # The knee outline, its details and the round markers are Bézier curves.
    assert curves(charted) > plain + 30
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(charted)).pages)
    assert "Genou droit" in text and "ligne 1 (IDS 1,5 mm) : 2 point(s)" in text


def test_patient_copy_holds_maps_and_the_eva_chart(services: Services, tmp_path: Path) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    for week, (before, after) in enumerate(((7, 4), (5, 3), (3, 1))):
        services.sessions.record(
            f.session(
                services,
                pid,
                performed_at=datetime(2026, 11, 2 + 7 * week, 9),
                indication="Arthrose",
                eva_before=before,
                eva_after=after,
                map=knee_map(),
            )
        )
    pdf = render_file(services.export.patient_file(pid))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Évolution de l'EVA" in text and "Arthrose" in text and "02/11/26" in text
    assert curves(pdf) > 3 * 30
    # Rendered, the page with the drawings differs from a blank page, in black and white too.
    (tmp_path / "copie.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "copie.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("page*.png")).read_bytes()
    blank = _blank_png(tmp_path)
    assert page != blank and len(page) > len(blank) * 2


def _blank_png(tmp_path: Path) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "blanc.pdf"), invariant=1)
    canvas.showPage()
    canvas.save()
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-gray",
            "-r",
            "40",
            str(tmp_path / "blanc.pdf"),
            str(tmp_path / "blanc"),
        ],
        check=True,
    )
    return next(tmp_path.glob("blanc*.png")).read_bytes()


def test_drawings_size_follow_the_views() -> None:
    drawing = map_drawing(knee_map(), (), height=100)
    assert 100 < drawing.height < 130 and drawing.width > 60
    assert eva_drawing([]).width == 440


def test_booklet_draws_each_session_map_and_the_eva_course(services: Services) -> None:
    from reports.patient_docs import render_booklet

    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    for week, (before, after) in enumerate(((7, 4), (5, 3))):
        services.sessions.record(
            f.session(
                services,
                pid,
                performed_at=datetime(2026, 11, 2 + 7 * week, 9),
                indication="Arthrose",
                eva_before=before,
                eva_after=after,
                map=knee_map(),
            )
        )
    bare = services.sessions.record(
        f.session(services, pid, performed_at=datetime(2026, 11, 20, 9))
    )
    booklet = services.documents.booklet(pid)
    assert [e.map == knee_map() for e in booklet.entries] == [True, True, False]
    assert [i for i, _ in booklet.eva] == ["Arthrose"]
    pdf = render_booklet(booklet)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Cartes des injections" in text and "Évolution de l'EVA" in text
    assert "Genou droit" in text
    page = render_booklet(services.documents.booklet(pid, bare.id))
    assert curves(pdf) > curves(page) + 60


def test_register_draws_the_eva_of_the_day(services: Services) -> None:
    services.practitioner.save(f.practitioner())
    pid = services.patients.register(f.patient()).id
    services.sessions.record(f.session(services, pid, eva_before=None, eva_after=None))
    without = register_pdf(services)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(without)).pages)
    assert "EVA des séances" not in text  # no EVA recorded: no empty chart
    for hour, (before, after) in ((11, (7, 3)), (14, (5, 5))):
        services.sessions.record(
            f.session(
                services,
                pid,
                performed_at=datetime(2026, 11, 23, hour),
                eva_before=before,
                eva_after=after,
            )
        )
    pdf = register_pdf(services)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "EVA des séances (avant, après)" in text and "● avant, □ après" in text
    assert "11:00" in text and "14:00" in text
    # The "before" dots are vector circles (Bézier curves): two more sessions, two more dots.
    assert curves(pdf) >= curves(without) + 2 * 4


def _marks(drawing: object) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    from reportlab.graphics.shapes import Circle, Rect
    from reportlab.lib.colors import white

    contents = drawing.contents  # type: ignore[attr-defined]
    dots = [(c.cx, c.cy) for c in contents if isinstance(c, Circle)]
    squares = [
        (r.x + r.width / 2, r.y + r.height / 2)
        for r in contents
        if isinstance(r, Rect) and r.fillColor == white
    ]
    return dots, squares


def test_both_eva_charts_share_one_frame_and_one_marker_drawing() -> None:
    from reportlab.graphics.shapes import String

    from mesodesk.outcomes import EvaPoint
    from reports.map_drawing import eva_day_drawing, eva_frame

    points = [
        EvaPoint(1, datetime(2026, 11, 2, 9), 7, 4, None, ""),
        EvaPoint(2, datetime(2026, 11, 9, 9), 5, None, None, ""),
    ]
    charts = (
        (eva_drawing(points), eva_frame(440, 150, 26.0, "EVA (0 à 10)")[1]),
        (
            eva_day_drawing([("09:00", 7, 4), ("10:00", 5, None)]),
            eva_frame(480, 140, 24.0, "EVA (0 à 10) par séance")[1],
        ),
    )
    for drawing, box in charts:
        texts = [s.text for s in drawing.contents if isinstance(s, String)]
        assert texts[:6] == ["0", "2", "4", "6", "8", "10"]
        assert texts[6].endswith("— ● avant, □ après")
        dots, squares = _marks(drawing)
        assert [y for _, y in dots] == [box.y(7), box.y(5)]
        assert [round(y, 6) for _, y in squares] == [round(box.y(4), 6)]
        assert squares[0][0] == dots[0][0]  # the after square above its session's dot
