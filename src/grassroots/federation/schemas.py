"""The inputs and outputs of federation: a partner (信息联通的对方), the documents and their
bodies as a receiver checks them, what handlers send."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from grassroots.bounds import Day, non_blank
from grassroots.federation.signing import public_key_bytes

CODE_PATTERN = r"^[0-9A-Za-z_-]{1,32}$"
URL_PATTERN = r"^https?://[^\s/]+(/[^\s]*)?$"


class PartnerIn(BaseModel):
    """A partner deployment, as agreed with it out of band."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, non_blank(100)] = Field(description="对方名称（如：邻县综治中心）")
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=CODE_PATTERN)] = Field(
        description="对方在文书中的代码（通常为其区划代码）"
    )
    base_url: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=500, pattern=URL_PATTERN)
    ] = Field(description="对方接收地址的根（其后加 /federation/v1/documents）")
    public_key: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        description="对方的 Ed25519 公钥（base64，44 个字符）"
    )
    clear_personal: bool = Field(
        default=False, description="对方的政策允许明文接收标记为必要的个人信息"
    )

    @field_validator("public_key")
    @classmethod
    def _a_key(cls, value: str) -> str:
        if public_key_bytes(value) is None:
            raise ValueError("not an Ed25519 public key (44 base64 characters)")
        return value

    @field_validator("base_url")
    @classmethod
    def _no_slash(cls, value: str) -> str:
        return value.rstrip("/")


class PartnerKeyIn(BaseModel):
    """A partner's new public key after it rotated its key pair (exchanged out of band like
    the first); its previous key stays accepted for `grace_days`."""

    model_config = ConfigDict(extra="forbid")

    public_key: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = Field(
        description="对方的新 Ed25519 公钥（base64，44 个字符）"
    )
    grace_days: int | None = Field(
        default=None, ge=0, le=90, description="旧公钥继续有效的天数（默认取本方设置）"
    )

    @field_validator("public_key")
    @classmethod
    def _a_key(cls, value: str) -> str:
        return PartnerIn._a_key(value)


# The documents (docs/federation.md): what a receiver accepts.
DOCUMENT_TYPES = (
    "joint_case.shared", "message", "session.recorded", "status.changed", "meeting.invited",
)  # fmt: skip
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CASE_CODE = r"^[0-9A-Za-z_-]{1,40}$"
MAX_SEQ = 2_147_483_647
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Text = Annotated[str, non_blank(2000)]
Short = Annotated[str, StringConstraints(max_length=200)]


class CaseRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    origin: Code  # the deployment that registered the case and keeps its status
    code: Annotated[str, StringConstraints(pattern=CASE_CODE)]


class Document(BaseModel):
    """The signed part: every field is covered by the signature (canonical JSON)."""

    model_config = ConfigDict(extra="forbid")
    protocol: Literal["grassroots-federation/1"]
    id: Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
    type: Literal[
        "joint_case.shared", "message", "session.recorded", "status.changed", "meeting.invited"
    ]
    sender: Code
    recipient: Code
    case: CaseRef
    sequence: int = Field(ge=1, le=MAX_SEQ)
    created_at: Annotated[str, StringConstraints(pattern=MOMENT_PATTERN)]
    body: dict[str, Any]


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid")
    document: dict[str, Any]
    signature: Annotated[str, StringConstraints(max_length=100)]


class PartyOut(BaseModel):
    """A party, only when the handler marked the parties as needed: masked by default."""

    role: Annotated[str, StringConstraints(max_length=20)]
    name: Annotated[str, StringConstraints(max_length=64)]
    phone: Annotated[str, StringConstraints(max_length=20)] | None = None


class SharedBody(BaseModel):
    title: Annotated[str, non_blank(200)]
    category: Short = ""
    place: Short = ""
    state: Annotated[str, StringConstraints(max_length=32)]
    outcome: Annotated[str, StringConstraints(max_length=32)] | None = None
    registered_at: Annotated[str, StringConstraints(pattern=MOMENT_PATTERN)]
    to: Code | None = None  # the recipient's jurisdiction asked to handle it
    note: Annotated[str, StringConstraints(max_length=2000)] = ""
    parties: list[PartyOut] = Field(default_factory=list, max_length=20)


class MessageBody(BaseModel):
    sender_post: Short = Field(default="", alias="from")  # the writer's post, not a name
    text: Text


class SessionBody(BaseModel):
    sender_post: Short = Field(default="", alias="from")
    held_on: Annotated[str, StringConstraints(pattern=DAY_PATTERN)]
    summary: Text


class StatusBody(BaseModel):
    state: Annotated[str, StringConstraints(max_length=32)]
    outcome: Annotated[str, StringConstraints(max_length=32)] | None = None


class MeetingBody(BaseModel):
    title: Annotated[str, non_blank(200)]
    held_on: Annotated[str, StringConstraints(pattern=DAY_PATTERN)]
    place: Short = ""


BODIES: dict[str, type[BaseModel]] = {
    "joint_case.shared": SharedBody, "message": MessageBody, "session.recorded": SessionBody,
    "status.changed": StatusBody, "meeting.invited": MeetingBody,
}  # fmt: skip


# What handlers send (the API and the pages).
class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    partner_code: Code = Field(description="联通单位代码")
    to_code: Code | None = Field(default=None, description="请对方哪一级（区划代码）承办")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    parties_needed: bool = Field(
        default=False, description="当事人信息确有必要时勾选：默认脱敏后发送"
    )


class LinkMessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Text = Field(description="发给对方的会商内容")


class HandIn(BaseModel):
    """交办: which of our jurisdictions handles a partner's case from now on."""

    model_config = ConfigDict(extra="forbid")
    jurisdiction_code: str = Field(
        pattern=r"^\d{6,15}$", description="本方承办区划代码（须在操作人辖区内，不含网格）"
    )


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    held_on: Day
    summary: Text = Field(description="调解（会商）情况")


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, non_blank(200)] = Field(description="边界联席会议名称")
    held_on: Day
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
