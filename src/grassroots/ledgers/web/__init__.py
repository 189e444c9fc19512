"""The ledger import page (/ledgers/import): upload, preview, saved mappings, 导入."""
