"""Office files the system writes: PDF of a Word document (LibreOffice), formula-safe
spreadsheet cells (CSV, Excel)."""
