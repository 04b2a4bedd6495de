"""The registry's tables. Import from here so that every table is known to the metadata."""

from zhijiao.registry.models.enterprises import Community, CommunityMember, Enterprise, EnterpriseCertification
from zhijiao.registry.models.places import County
from zhijiao.registry.models.platforms import Platform, PlatformCertification
from zhijiao.registry.models.projects import Donation, InternationalProgramme, NationalBrand, Project
from zhijiao.registry.models.salary_standards import SalaryStandard
from zhijiao.registry.models.schools import Major, School, SchoolShareholder, SchoolYear, StudentStats, TeacherStats

__all__ = [
    "Community",
    "CommunityMember",
    "County",
    "Donation",
    "Enterprise",
    "EnterpriseCertification",
    "InternationalProgramme",
    "Major",
    "NationalBrand",
    "Platform",
    "PlatformCertification",
    "Project",
    "SalaryStandard",
    "School",
    "SchoolShareholder",
    "SchoolYear",
    "StudentStats",
    "TeacherStats",
]
