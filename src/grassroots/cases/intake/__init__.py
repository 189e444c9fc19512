"""cases/intake"""
