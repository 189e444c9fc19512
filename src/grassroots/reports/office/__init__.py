"""The Office files of a report: Word (docxtpl templates, their rules, the default) and Excel."""
