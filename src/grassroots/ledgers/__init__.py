"""Excel 台账 (people's-mediation ledgers): import a centre's historical spreadsheets as
cases, all or nothing, and export the 人民调解台账 layout (docs/ledgers.md)."""
