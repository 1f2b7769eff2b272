"""The vocabularies of assessment: a value's status, the basis of that status, and an
indicator's progress toward a target. Each member carries what every page, export and chart
shows for it, so a label, sign or colour is written once.

Members are strings (`Status.MET == "met"`), which is how they are stored and compared in
templates; colours are the Okabe–Ito set, told apart with any colour vision, and every status
also has a sign so that colour is never the only cue.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Whether an area meets an indicator's standard in a year (domain.md: met, not met, no
    data, needs review)."""

    MET = ("met", "达标", "✓", "#009E73")
    NOT_MET = ("not_met", "未达标", "✗", "#D55E00")
    NO_DATA = ("no_data", "无数据", "–", "#BBBBBB")
    NEEDS_REVIEW = ("needs_review", "待核定", "?", "#56B4E9")

    label: str
    sign: str
    colour: str

    def __new__(cls, value: str, label: str, sign: str, colour: str) -> Status:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.sign = sign
        member.colour = colour
        return member

    @property
    def judgement_label(self) -> str:
        """How a recorded judgement of this status reads (the plan's 达标情况 column prints
        已达标 / 未达标); empty for statuses a person does not record."""
        return JUDGEMENT_LABELS.get(self, "")

    @classmethod
    def judgement(cls, value: str) -> Status | None:
        """The status a recorded judgement (`met` / `not_met`) stands for, else None."""
        return cls(value) if value in JUDGEMENT_LABELS else None


JUDGEMENT_LABELS = {Status.MET: "已达标", Status.NOT_MET: "未达标"}


class Basis(StrEnum):
    """What a status rests on: the rule's computation, a person's recorded judgement (where the
    rule cannot decide), or nothing (no data)."""

    COMPUTED = ("computed", "计算")
    JUDGEMENT = ("judgement", "记录的判断")
    NONE = ("none", "—")

    label: str

    def __new__(cls, value: str, label: str) -> Basis:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class ProgressStatus(StrEnum):
    """How far an indicator's trend is from its 2025 / 2030 target (the Open SDG platform's
    progress categories, in the plan's words)."""

    TARGET_ACHIEVED = ("target_achieved", "已达到目标", "#009E73")
    ON_TRACK = ("on_track", "按期可达", "#0072B2")
    ACCELERATION_NEEDED = ("acceleration_needed", "需加快进度", "#E69F00")
    LIMITED_PROGRESS = ("limited_progress", "进展有限", "#CC79A7")
    DETERIORATION = ("deterioration", "退步", "#D55E00")
    NOT_ASSESSABLE = ("not_assessable", "无法评估", "#BBBBBB")

    label: str
    colour: str

    def __new__(cls, value: str, label: str, colour: str) -> ProgressStatus:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.colour = colour
        return member
