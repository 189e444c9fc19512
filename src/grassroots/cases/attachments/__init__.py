"""Attachments of a case and of its timeline entries: photos of the scene, scans of the
signed 调解协议书, 笔录 (docs/cases.md, 附件)."""
