"""A country-package shim so the OpenFisca Web API serves openfisca_model.py's tax-benefit system.

``openfisca serve --country-package openfisca_wenzhou`` imports a package and instantiates its
``CountryTaxBenefitSystem``; this one is that class, nothing else. http_bench.py starts it with
``PYTHONPATH=benchmarks:benchmarks/openfisca_web`` (openfisca_model.py, numpy_impl.py and common.py live in
benchmarks/, and read the county lists from src/).
"""

from openfisca_model import WenzhouVet as CountryTaxBenefitSystem

__all__ = ["CountryTaxBenefitSystem"]
