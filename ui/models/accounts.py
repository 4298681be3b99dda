"""UI: the practice's accounts (name, login, role, state) for « Comptes du cabinet »."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

from typing_extensions import override

from mesodesk.accounts import Account
from ui.models.base import RecordTableModel


class AccountColumn(IntEnum):
    NAME = 0
    LOGIN = 1
    ROLE = 2
    STATE = 3


class AccountTableModel(RecordTableModel[Account]):
    columns = AccountColumn
    headers: ClassVar[dict[int, str]] = {
        AccountColumn.NAME: "Nom",
        AccountColumn.LOGIN: "Identifiant",
        AccountColumn.ROLE: "Rôle",
        AccountColumn.STATE: "État",
    }

    @override
    def display(self, record: Account, column: IntEnum) -> str:
        if column == AccountColumn.NAME:
            return record.name
        if column == AccountColumn.LOGIN:
            return record.login
        if column == AccountColumn.ROLE:
            return record.role.label
        return "actif" if record.active else "désactivé"
