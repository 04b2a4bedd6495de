"""Every table of the platform, on one metadata: what migrations are checked against."""

from zhijiao.accounts import models as accounts_models
from zhijiao.audit import models as audit_models
from zhijiao.drafting import models as drafting_models
from zhijiao.fulfilment import bank_models
from zhijiao.fulfilment import models as fulfilment_models
from zhijiao.plan_text import models as plan_text_models
from zhijiao.registry import models as registry_models
from zhijiao.storage.base import Base

# Imported for their tables: each registers its own on the one Base.
TABLE_MODULES = (
    accounts_models,
    audit_models,
    bank_models,
    drafting_models,
    fulfilment_models,
    plan_text_models,
    registry_models,
)

__all__ = ["TABLE_MODULES", "Base"]
