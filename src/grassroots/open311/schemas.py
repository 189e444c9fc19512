"""A POSTed service request, checked field by field (every wrong field is reported)."""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
DESCRIPTION_MAX = 4000  # the spec: "free form text limited to 4,000 characters"
URL = re.compile(r"^https?://[^\s<>\"']{1,990}$")
EMAIL = re.compile(r"^[^@\s<>]{1,64}@[^@\s<>]{1,190}\.[^@\s<>]{1,63}$")


class RequestIn(BaseModel):
    """The arguments of POST requests (api_key and jurisdiction_id are read before)."""

    model_config = ConfigDict(extra="forbid")

    service_code: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)
    address_string: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""
    address_id: Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")] | None = None
    email: Annotated[str, StringConstraints(pattern=EMAIL.pattern, max_length=254)] | None = None
    device_id: Short = ""
    account_id: Short = ""
    first_name: Name = ""
    last_name: Name = ""
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{5,20}$")] | None = None
    description: Annotated[str, StringConstraints(max_length=DESCRIPTION_MAX)] = ""
    media_url: Annotated[str, StringConstraints(pattern=URL.pattern)] | None = None
    kind: Literal["dispute", "request"] = "dispute"  # attribute[kind]
    people_involved: int = Field(0, ge=0, le=100000)  # attribute[people_involved]

    @model_validator(mode="after")
    def _located(self) -> RequestIn:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long must both be sent / 经纬度须同时提供")
        for value in (self.lat, self.long):
            if value is not None and not math.isfinite(value):
                raise ValueError("lat and long must be numbers / 经纬度须为数字")
        if self.lat is None and not self.address_string and self.address_id is None:
            raise ValueError(
                "a location is required: lat & long, address_string or address_id "
                "/ 需提供位置：经纬度、地址或地址编号"
            )
        return self

    @property
    def reporter_name(self) -> str:
        """The Chinese order: family name, then given name."""
        return f"{self.last_name}{self.first_name}".strip()
