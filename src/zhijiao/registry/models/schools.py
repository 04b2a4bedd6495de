"""Schools and their figures by year: what Art. 8, 13 and 20 and the targets read."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from zhijiao.storage.base import Base


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"), index=True)
    school_type: Mapped[str] = mapped_column(String(20))  # higher | secondary | technical
    ownership: Mapped[str] = mapped_column(String(20))  # public | private | mixed
    sponsor: Mapped[str] = mapped_column(String(20))  # city | county: whose finance is "same-level"
    shareholders: Mapped[list[SchoolShareholder]] = relationship(back_populates="school", cascade="all")


class SchoolShareholder(Base):
    """A shareholder of a mixed-ownership school and its share (Art. 8)."""

    __tablename__ = "school_shareholders"
    __table_args__ = (UniqueConstraint("school_id", "shareholder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    shareholder: Mapped[str] = mapped_column(String(100))
    share_ppm: Mapped[int] = mapped_column(Integer)
    school: Mapped[School] = relationship(back_populates="shareholders")


class SchoolYear(Base):
    """A school's status and money figures for one year."""

    __tablename__ = "school_years"
    __table_args__ = (UniqueConstraint("school_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    double_high: Mapped[str] = mapped_column(String(20), default="none")  # none | provincial | national
    double_high_group_students: Mapped[int | None]
    base_appropriation_per_student_fen: Mapped[int | None]
    market_service_income_fen: Mapped[int | None]
    social_training_person_times: Mapped[int | None]
    meets_national_standard: Mapped[bool | None] = mapped_column(Boolean)


class TeacherStats(Base):
    __tablename__ = "teacher_stats"
    __table_args__ = (UniqueConstraint("school_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    full_time: Mapped[int]
    part_time: Mapped[int]  # highly skilled people hired part-time (Art. 13)
    part_time_fte_hundredths: Mapped[int | None]
    double_qualified: Mapped[int | None]  # "双师型"
    double_qualified_trained: Mapped[int | None]  # trained in the year (T5)


class StudentStats(Base):
    __tablename__ = "student_stats"
    __table_args__ = (UniqueConstraint("school_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int]
    intake: Mapped[int | None]
    graduates: Mapped[int | None]
    graduates_local: Mapped[int | None]  # employed in Wenzhou (T8)
    integrated_secondary_higher: Mapped[int | None]  # 中高职一体化 (T11)
    integrated_secondary_undergraduate: Mapped[int | None]  # 中本一体化 (T11)
    three_plus_two: Mapped[int | None]
    three_plus_four: Mapped[int | None]
    study_abroad_funded: Mapped[int | None]
    aided: Mapped[int | None]


class Major(Base):
    __tablename__ = "majors"
    __table_args__ = (UniqueConstraint("school_id", "year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    national_code: Mapped[str | None] = mapped_column(String(20))
    professional_group: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    enrolment: Mapped[int | None]
    graduates: Mapped[int | None]
    employment_rate_ppm: Mapped[int | None] = mapped_column(Integer)
    local_retention_ppm: Mapped[int | None] = mapped_column(Integer)
