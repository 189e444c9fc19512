"""cases/workflow"""
