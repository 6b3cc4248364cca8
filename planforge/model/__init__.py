"""The plan model: typed objects with every derived figure, built from a validated spec."""

from planforge.model.build import build_model

__all__ = ["build_model"]
