"""Organisational units (单位): their reads and writes for administration."""
