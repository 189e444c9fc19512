"""The errors a GeoJSON import can report: stable code → Chinese and English message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    "not_feature_collection": (
        "文件必须是 GeoJSON FeatureCollection（含 features 数组）",
        "the file must be a GeoJSON FeatureCollection with a features array",
    ),
    "empty_collection": ("文件中没有任何要素", "the collection has no features"),
    "not_a_feature": (
        "第 {position} 项不是 GeoJSON Feature",
        "item {position} is not a GeoJSON Feature",
    ),
    "missing_properties": ("要素缺少 properties", "the feature has no properties object"),
    "bad_code": (
        "代码 {value!r} 格式错误：{level_zh}应为 {digits} 位数字",
        "code {value!r} is malformed: a {level} code has {digits} digits",
    ),
    "code_trailing_digits": (
        "代码 {value} 的第 {digits} 位之后应全为 0（{level_zh}级代码）",
        "code {value}: a {level} code has only zeros after digit {digits}",
    ),
    "code_zero_segment": (
        "代码 {value} 中本级编号全为 0",
        "code {value}: the digits of its own level are all zero",
    ),
    "missing_name": ("名称为空", "the name is empty"),
    "name_too_long": ("名称超过 100 个字符", "the name is longer than 100 characters"),
    "unknown_level": (
        "未知层级 {value!r}（应为 province/city/county/township/village/grid 之一）",
        "unknown level {value!r} (one of province, city, county, township, village, grid)",
    ),
    "duplicate_code": (
        "代码 {value} 与第 {other} 项重复",
        "code {value} is also used by feature {other}",
    ),
    "missing_parent_code": ("缺少上级代码 parent_code", "parent_code is missing"),
    "unexpected_parent": ("省级区划不应有上级", "a province has no parent"),
    "parent_not_found": (
        "上级 {value} 既不在文件中也不在数据库中",
        "parent {value} is neither in the file nor in the database",
    ),
    "parent_wrong_level": (
        "上级 {value} 是{parent_zh}级，应为{expected_zh}级",
        "parent {value} is a {parent_level}, expected a {expected}",
    ),
    "code_not_under_parent": (
        "代码 {value} 未以上级代码前缀 {prefix} 开头",
        "code {value} does not extend its parent's prefix {prefix}",
    ),
    "level_changed": (
        "代码 {value} 在数据库中是{old_zh}级，不能改为{new_zh}级",
        "code {value} is a {old} in the database; its level cannot change to {new}",
    ),
    "missing_geometry": ("网格必须有边界", "a grid needs a boundary geometry"),
    "wrong_geometry_type": (
        "边界类型 {value!r} 不支持，应为 Polygon 或 MultiPolygon",
        "geometry type {value!r} is not supported: use Polygon or MultiPolygon",
    ),
    "empty_geometry": ("边界为空", "the geometry is empty"),
    "bad_coordinates": (
        "坐标无效（应为 [经度, 纬度] 数字，经度 -180~180，纬度 -90~90）",
        "bad coordinates (need numeric [lng, lat], lng -180..180, lat -90..90)",
    ),
    "ring_too_short": (
        "第 {ring} 个环少于 4 个坐标点",
        "ring {ring} has fewer than 4 positions",
    ),
    "ring_not_closed": (
        "第 {ring} 个环未闭合（首末坐标不同）",
        "ring {ring} is not closed (first and last positions differ)",
    ),
    "self_intersection": ("边界自相交：{reason}", "the boundary intersects itself: {reason}"),
    "invalid_geometry": ("边界无效：{reason}", "invalid geometry: {reason}"),
    "outside_parent": (
        "边界超出上级 {value} 的范围（超出部分占 {share:.3%}）",
        "the boundary lies outside its parent {value} ({share:.3%} of its area)",
    ),
    "child_outside": (
        "新边界未包含现有下级 {value}（超出部分占 {share:.3%}）",
        "the new boundary no longer contains the existing child {value} ({share:.3%} outside)",
    ),
    "grid_overlap": (
        "与网格 {value} 重叠 {area:.0f} 平方米（容差 {tolerance:g} 平方米）",
        "overlaps grid {value} by {area:.0f} m² (tolerance {tolerance:g} m²)",
    ),
}

LEVEL_ZH = {
    "province": "省",
    "city": "市",
    "county": "县",
    "township": "乡镇",
    "village": "村（社区）",
    "grid": "网格",
}


@dataclass(frozen=True)
class FeatureError:
    """One thing wrong with one feature (index None: the file as a whole)."""

    index: int | None
    code: str | None
    error: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "code": self.code,
            "error": self.error,
            "message": self.message,
        }

    def line(self) -> str:
        where = "文件 / file" if self.index is None else f"#{self.index}"
        return f"{where} {self.code or '-'} [{self.error}] {self.message}"


def feature_error(index: int | None, code: str | None, error: str, **params: Any) -> FeatureError:
    zh, en = MESSAGES[error]
    return FeatureError(index, code, error, f"{zh.format(**params)} / {en.format(**params)}")
