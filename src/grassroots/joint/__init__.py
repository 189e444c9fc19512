"""联调: joint handling of a case by several jurisdictions or units (issue 19).

A joint case (联调案件) is a case shared (cases.models.CaseShare) with at least one other
centre or unit. This package adds what sharing alone lacked: each side's tasks, and a thread
of messages between the handlers of the case, sealed and audited. docs/joint.md.
"""
