from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class County(Base):
    """One of the 12 county-level units, or 市直属 (schools run by the city bureau)."""

    __tablename__ = "counties"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # administrative division code
    name: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # district | county_city | county | city_run
