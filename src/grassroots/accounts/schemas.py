"""Pydantic input/output models of the accounts API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from grassroots.accounts.models import Role
from grassroots.bounds import Moment


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class CodeIn(BaseModel):
    code: str = Field(min_length=1, max_length=32, description="TOTP code or a recovery code")


class MeOut(BaseModel):
    username: str
    display_name: str
    role: str
    jurisdiction_code: str | None
    unit_code: str | None
    permissions: list[str]
    second_factor: str | None = Field(
        description='still owed: "verify", "enrol", or null when fully logged in'
    )
    totp_enrolled: bool
    csrf_token: str = Field(description="send back as the X-CSRF-Token header on writes")


class TotpEnrolOut(BaseModel):
    secret: str
    otpauth_uri: str
    qr_svg: str


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="shown once; each works once")
    csrf_token: str


class PasswordChangeIn(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1)
    expires_at: Moment | None = Field(
        None, description="with a time zone; default and longest lifetime are configured"
    )


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    parent_id: int | None = Field(description="the token that created this one, if any")


class NewTokenOut(TokenOut):
    token: str = Field(description="shown once; store it now")


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str
    jurisdiction_code: str | None
    unit_code: str | None
    is_active: bool
    locked: bool
    totp_enrolled: bool


class UserIn(BaseModel):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z][a-z0-9_.-]*$")
    display_name: str = Field(min_length=1, max_length=64)
    role: Role
    jurisdiction_code: str = Field(min_length=12, max_length=15)
    unit_code: str | None = None


class NewUserOut(UserOut):
    initial_password: str = Field(description="shown once; the user should change it")


class RoleIn(BaseModel):
    role: Role
