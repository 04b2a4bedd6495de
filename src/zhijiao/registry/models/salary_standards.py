"""Art. 13's funding standard: the local average in-establishment teacher salary of similar schools, a county's
figure for a year and a school type (当地同类学校编制内教师平均工资), with where it comes from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from zhijiao.storage.base import Base


class SalaryStandard(Base):
    """One county's average in-establishment teacher salary of one school type in one year: the amount each funded
    part-time teacher of a school of that type in that county is funded at (Art. 13)."""

    __tablename__ = "salary_standards"
    __table_args__ = (UniqueConstraint("county_code", "year", "school_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    school_type: Mapped[str] = mapped_column(String(20))  # higher | secondary | technical, as schools.school_type
    avg_teacher_salary_fen: Mapped[int]
    source: Mapped[str] = mapped_column(String(200))  # where the figure comes from, e.g. the county's bulletin
    published_on: Mapped[dt.date] = mapped_column(Date)  # the day it was published, or entered where it was not
