"""UI: the map being edited (points and zones by id, per view) and its undoable commands."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from mesodesk import injection_map
from mesodesk.injection_map import InjectionMap, MapPoint, MapView, MapZone, ViewMap


@dataclass
class _ViewState:
    points: dict[int, MapPoint] = field(default_factory=dict)
    zones: dict[int, MapZone] = field(default_factory=dict)


class MapModel(QObject):
    """Points and zones keyed by ids that stay the same through undo and redo."""

    points_added = Signal(object, list)  # view, ids
    points_removed = Signal(object, list)
    points_changed = Signal(object, list)
    zones_changed = Signal(object)  # view
    reset = Signal()
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._views: dict[MapView, _ViewState] = {}
        self._next = 1

    def new_id(self) -> int:
        self._next += 1
        return self._next

    def state(self, view: MapView) -> _ViewState:
        return self._views.setdefault(view, _ViewState())

    def points(self, view: MapView) -> dict[int, MapPoint]:
        return self.state(view).points

    def zones(self, view: MapView) -> dict[int, MapZone]:
        return self.state(view).zones

    def put_points(self, view: MapView, points: dict[int, MapPoint]) -> None:
        state = self.state(view)
        new = [i for i in points if i not in state.points]
        old = [i for i in points if i in state.points]
        state.points.update(points)
        if new:
            self.points_added.emit(view, new)
        if old:
            self.points_changed.emit(view, old)
        self.changed.emit()

    def drop_points(self, view: MapView, ids: list[int]) -> None:
        state = self.state(view)
        for i in ids:
            state.points.pop(i, None)
        self.points_removed.emit(view, ids)
        self.changed.emit()

    def put_zone(self, view: MapView, zone_id: int, zone: MapZone) -> None:
        self.state(view).zones[zone_id] = zone
        self.zones_changed.emit(view)
        self.changed.emit()

    def drop_zone(self, view: MapView, zone_id: int) -> None:
        self.state(view).zones.pop(zone_id, None)
        self.zones_changed.emit(view)
        self.changed.emit()

    def load(self, m: InjectionMap) -> None:
        self._views = {}
        for v in m.views:
            state = self.state(v.view)
            for p in v.points:
                state.points[self.new_id()] = p
            for z in v.zones:
                state.zones[self.new_id()] = z
        self.reset.emit()
        self.changed.emit()

    def value(self) -> InjectionMap:
        return injection_map.tidy(
            InjectionMap(
                tuple(
                    ViewMap(
                        view,
                        tuple(s.points[i] for i in sorted(s.points)),
                        tuple(s.zones[i] for i in sorted(s.zones)),
                    )
                    for view, s in self._views.items()
                )
            )
        )

    def counts(self) -> dict[int, int]:
        return dict(injection_map.point_counts(self.value()))

    def view_counts(self) -> dict[MapView, int]:
        return {v: len(s.points) + len(s.zones) for v, s in self._views.items()}

    def renumber_techniques(self, removed: int) -> None:
        """A technique line was removed: its points lose it, later lines move up one."""
        for view, state in self._views.items():
            moved = {}
            for i, p in state.points.items():
                if p.technique is not None and p.technique >= removed:
                    technique = None if p.technique == removed else p.technique - 1
                    moved[i] = MapPoint(p.x, p.y, technique, p.volume_ml)
            if moved:
                self.put_points(view, moved)


class PutPoints(QUndoCommand):
    """Add points, or change them (move, technique line, volume): before is None for adding."""

    def __init__(
        self,
        model: MapModel,
        view: MapView,
        after: dict[int, MapPoint],
        before: dict[int, MapPoint] | None,
        text: str,
    ) -> None:
        super().__init__(text)
        self._model, self._view, self._after, self._before = model, view, after, before

    def redo(self) -> None:
        self._model.put_points(self._view, self._after)

    def undo(self) -> None:
        if self._before is None:
            self._model.drop_points(self._view, list(self._after))
        else:
            self._model.put_points(self._view, self._before)


class DropPoints(QUndoCommand):
    def __init__(self, model: MapModel, view: MapView, points: dict[int, MapPoint]) -> None:
        super().__init__(f"Retirer {len(points)} point(s)")
        self._model, self._view, self._points = model, view, points

    def redo(self) -> None:
        self._model.drop_points(self._view, list(self._points))

    def undo(self) -> None:
        self._model.put_points(self._view, self._points)


class PutZone(QUndoCommand):
    """Paint a zone (before None) or take one away (after None)."""

    def __init__(
        self,
        model: MapModel,
        view: MapView,
        zone_id: int,
        after: MapZone | None,
        before: MapZone | None,
    ) -> None:
        super().__init__("Peindre une zone" if after else "Retirer une zone")
        self._model, self._view, self._id = model, view, zone_id
        self._after, self._before = after, before

    def _apply(self, zone: MapZone | None) -> None:
        if zone is None:
            self._model.drop_zone(self._view, self._id)
        else:
            self._model.put_zone(self._view, self._id, zone)

    def redo(self) -> None:
        self._apply(self._after)

    def undo(self) -> None:
        self._apply(self._before)
