"""Border fixtures: the joint-case fixture of tests/joint (a case of 青石镇 shared with 柳河镇),
and the meeting and hazard makers of the child folders."""

from tests.border.hazards.conftest import new_hazard  # noqa: F401
from tests.border.meetings.conftest import new_meeting  # noqa: F401
from tests.joint.conftest import joint_case  # noqa: F401
