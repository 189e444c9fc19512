"""cases/listing"""
