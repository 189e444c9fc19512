"""Reading a ledger file: its sheets, its header, the cells' values, a saved mapping, and
the annotated copy of a refused sheet."""
