"""Mapping credentials across jurisdictions: volume, level, eligibility and instance matching.

    >>> from mcmap.mapping import map_level, convert, Quantity
    >>> map_level("https://w3id.org/mcmap/id/level/aqf/5", "eqf").chain
    'AQF 5 -> NZQCF 5 -> EQF 5'
    >>> str(convert(Quantity.exact(3), "nz"))
    '0.3 NZ credits'
"""
from .crossmap import CredentialMapping, TargetResult, map_store
from .levels import LevelMapping, map_level
from .match import match
from .volume import Quantity, Volume, convert, source_hours

__all__ = ["CredentialMapping", "TargetResult", "map_store", "LevelMapping", "map_level", "match",
           "Quantity", "Volume", "convert", "source_hours"]
