"""cases/agreements"""
