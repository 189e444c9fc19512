"""cases/deadlines"""
