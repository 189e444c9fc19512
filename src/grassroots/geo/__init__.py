"""Jurisdictions (区划), grids (网格), their boundaries, units (单位) and locating points."""
