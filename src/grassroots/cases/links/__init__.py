"""cases/links"""
