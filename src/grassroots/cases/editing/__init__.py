"""Editing a case after registration (修改案件信息): what may change, who may change it, and
the consequences (statistics, deadlines, routing) applied in the edit's own transaction."""
