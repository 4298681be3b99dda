"""UI: Outils → Statistiques — charts with their numbers beside them, CSV export."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from mesodesk.domain import Purpose
from mesodesk.services.statistics import StatisticsService
from mesodesk.statistics import PracticeStats, to_csv
from mesodesk.validation import ValidationError
from ui import prompts
from ui.forms import from_qdate, to_qdate

PALETTE = ("#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#9e9e9e")
MONTHS_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS_FR[int(number) - 1]} {year[2:]}"


class MonthChart(QWidget):
    """Sessions per month, stacked by indication (the six most frequent, then the rest)."""

    def __init__(self) -> None:
        super().__init__()
        self.stats: PracticeStats | None = None
        self.setMinimumSize(420, 220)

    def show_stats(self, stats: PracticeStats) -> None:
        self.stats = stats
        self.update()

    @override
    def sizeHint(self) -> QSize:
        return QSize(620, 260)

    def groups(self) -> list[str]:
        assert self.stats is not None
        shown = list(self.stats.indications[:6])
        return shown + (["Autres"] if len(self.stats.indications) > 6 else [])

    def value(self, month: str, group: str) -> int:
        assert self.stats is not None
        if group != "Autres":
            return self.stats.per_month.get((month, group), 0)
        return sum(self.stats.per_month.get((month, i), 0) for i in self.stats.indications[6:])

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.stats is None or not self.stats.months:
            painter.end()
            return
        font = QFont(painter.font())
        font.setPointSizeF(8)
        painter.setFont(font)
        plot = QRectF(self.rect()).adjusted(34, 10, -150, -30)
        months = self.stats.months
        top = max([self.stats.month_total(m) for m in months] + [1])
        painter.setPen(QPen(QColor("#d0d7de")))
        for k in range(5):
            y = plot.bottom() - plot.height() * k / 4
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QPen(QColor("#444444")))
            painter.drawText(
                QRectF(0, y - 8, 30, 16), int(Qt.AlignmentFlag.AlignRight), str(round(top * k / 4))
            )
            painter.setPen(QPen(QColor("#d0d7de")))
        slot = plot.width() / len(months)
        groups = self.groups()
        for index, month in enumerate(months):
            x = plot.left() + slot * index + slot * 0.15
            y = plot.bottom()
            for g, group in enumerate(groups):
                n = self.value(month, group)
                if n:
                    h = plot.height() * n / top
                    painter.fillRect(
                        QRectF(x, y - h, slot * 0.7, h), QColor(PALETTE[g % len(PALETTE)])
                    )
                    y -= h
            if len(months) <= 12 or index % 3 == 0:
                painter.setPen(QPen(QColor("#444444")))
                painter.drawText(
                    QRectF(x - 10, plot.bottom() + 4, slot * 0.7 + 20, 16),
                    int(Qt.AlignmentFlag.AlignHCenter),
                    month_label(month),
                )
        for g, group in enumerate(groups):
            y = plot.top() + g * 18
            painter.fillRect(
                QRectF(plot.right() + 12, y + 3, 10, 10), QColor(PALETTE[g % len(PALETTE)])
            )
            painter.setPen(QPen(QColor("#222222")))
            painter.drawText(QRectF(plot.right() + 26, y, 124, 16), 0, group)
        painter.end()


class BarList(QWidget):
    """Horizontal bars with their value written at the end (EVA gain per indication)."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[tuple[str, float, str]] = []
        self.setMinimumHeight(120)

    def show_bars(self, bars: list[tuple[str, float, str]]) -> None:
        self.bars = bars
        self.setMinimumHeight(max(120, 22 * len(bars) + 10))
        self.update()

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        scale = max([abs(v) for _, v, _ in self.bars] + [1.0])
        metrics = painter.fontMetrics()
        left = min(260.0, max([metrics.horizontalAdvance(b[0]) for b in self.bars] + [60]) + 16.0)
        width = max(60.0, self.width() - left - 70.0)
        for index, (label, value, text) in enumerate(self.bars):
            y = 6 + index * 22
            painter.setPen(QPen(QColor("#222222")))
            painter.drawText(
                QRectF(4, y, left - 10, 18),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            length = width * abs(value) / scale
            colour = QColor("#2e7d32" if value >= 0 else "#c62828")
            painter.fillRect(QRectF(left, y + 3, length, 12), colour)
            painter.drawText(
                QRectF(left + length + 6, y, 80, 18), int(Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.end()


def _fr(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}".replace(".", ",")


class StatisticsDialog(QDialog):
    def __init__(
        self, statistics: StatisticsService, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Statistiques du cabinet")
        self._statistics = statistics
        self.stats: PracticeStats | None = None
        self.start = QDateEdit(to_qdate(date(today.year - 1, today.month, 1)))
        self.end = QDateEdit(to_qdate(today))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.show_button = QPushButton("Afficher")
        self.export_button = QPushButton("Exporter en CSV…")
        self.months = MonthChart()
        self.months_table = QTextBrowser()
        self.eva = BarList()
        self.eva_table = QTextBrowser()
        self.adverse = QLabel()
        self.adverse.setWordWrap(True)
        self.adverse.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        for widget in (QLabel("Du"), self.start, QLabel("au"), self.end, self.show_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.export_button)
        body = QWidget()
        grid = QGridLayout(body)
        first = QGroupBox("Séances par indication, finalité et mois")
        first_layout = QHBoxLayout(first)
        first_layout.addWidget(self.months, 3)
        first_layout.addWidget(self.months_table, 2)
        second = QGroupBox("Amélioration moyenne de l'EVA par indication (avant − après)")
        second_layout = QHBoxLayout(second)
        second_layout.addWidget(self.eva, 3)
        second_layout.addWidget(self.eva_table, 2)
        third = QGroupBox("Effets indésirables")
        QVBoxLayout(third).addWidget(self.adverse)
        grid.addWidget(first, 0, 0)
        grid.addWidget(second, 1, 0)
        grid.addWidget(third, 2, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.show_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.resize(1100, 700)
        self.refresh()

    def refresh(self) -> PracticeStats | None:
        try:
            stats = self._statistics.practice(
                from_qdate(self.start.date()), from_qdate(self.end.date())
            )
        except ValidationError as exc:
            prompts.error(self, "Statistiques", str(exc))
            return None
        self.stats = stats
        self.months.show_stats(stats)
        purposes = list(Purpose)

        def by_purpose(indication: str | None) -> str:
            return "".join(
                f"<td align='right'>"
                f"{sum(stats.purpose_count(m, p, indication) for m in stats.months)}</td>"
                for p in purposes
            )

        rows = "".join(
            f"<tr><td>{escape(i)}</td>{by_purpose(i)}<td align='right'>"
            f"{sum(stats.per_month.get((m, i), 0) for m in stats.months)}</td></tr>"
            for i in stats.indications
        )
        per_month = " · ".join(f"{month_label(m)} : {stats.month_total(m)}" for m in stats.months)
        heads = "".join(f"<th>{escape(p.label)}</th>" for p in purposes)
        self.months_table.setHtml(
            f"<table width='100%'><tr><th align='left'>Indication</th>{heads}<th>Total</th></tr>"
            f"{rows}<tr><td><b>Total</b></td>{by_purpose(None)}"
            f"<td align='right'><b>{stats.sessions}</b></td></tr></table>"
            f"<p>Par mois : {escape(per_month)}</p>"
        )
        gains = [g for g in stats.eva if g.mean_session_gain is not None]
        self.eva.show_bars(
            [(g.indication, g.mean_session_gain or 0.0, _fr(g.mean_session_gain)) for g in gains]
        )
        self.eva_table.setHtml(
            "<table width='100%'><tr><th align='left'>Indication</th><th>Séances</th>"
            "<th>Gain/séance</th><th>Suivis</th><th>Gain/suivi</th></tr>"
            + "".join(
                f"<tr><td>{escape(g.indication)}</td><td align='right'>{g.sessions}</td>"
                f"<td align='right'>{_fr(g.mean_session_gain)}</td>"
                f"<td align='right'>{g.courses}</td>"
                f"<td align='right'>{_fr(g.mean_course_gain)}</td></tr>"
                for g in stats.eva
            )
            + "</table>"
        )
        events = ", ".join(
            f"{e.label} : {n}" for e, n in sorted(stats.adverse.items(), key=lambda kv: -kv[1])
        )
        rate = f"{stats.adverse_rate * 100:.1f}".replace(".", ",")
        self.adverse.setText(
            f"<b>{rate} %</b> des séances ({stats.with_adverse} sur {stats.sessions}) "
            f"avec au moins un effet indésirable noté. {escape(events)}"
        )
        return stats

    def export(self) -> Path | None:
        if self.stats is None:
            return None
        name = f"statistiques-{self.stats.start:%Y%m%d}-{self.stats.end:%Y%m%d}.csv"
        chosen = prompts.save_file(self, "Exporter les statistiques", name, "CSV (*.csv)")
        if not chosen:
            return None
        target = Path(chosen)
        try:
            target.write_text(to_csv(self.stats), encoding="utf-8-sig")
        except OSError as exc:
            prompts.error(self, "Statistiques", f"Écriture impossible : {exc.strerror}.")
            return None
        return target
