"""Every table of the platform, on one metadata: what migrations are checked against."""

from zhijiao.accounts import models as accounts_models
from zhijiao.fulfilment import models as fulfilment_models
from zhijiao.registry.models import Base

TABLE_MODULES = (accounts_models, fulfilment_models)  # imported for their tables; the registry's come with Base

__all__ = ["TABLE_MODULES", "Base"]
