"""The review workflow of a county-year as one table of transitions, read by the services (which
steps are allowed, and every step is recorded as a SubmissionEvent), the permissions (who may
take a step) and the templates (which buttons a user sees)."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Submission, SubmissionEvent

State = Submission.State
Action = SubmissionEvent.Action

REPORTER = "reporter"  # whoever may report the area's data (its county officer, bureau staff)
REVIEWER = "reviewer"  # bureau staff
SYSTEM = "system"  # taken by the write path itself, never offered as a button


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actor: str
    comment_required: str = ""  # the refusal when a comment is required and missing
    button: str = ""  # the label of the button that takes the step

    @property
    def label(self) -> str:
        return Action(self.action).label


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            Action.SUBMIT, frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, REPORTER,
            button="提交市局审核",
        ),
        Transition(
            Action.APPROVE, frozenset({State.SUBMITTED}), State.APPROVED, REVIEWER,
            button="审核通过（锁定）",
        ),
        Transition(
            Action.RETURN, frozenset({State.SUBMITTED}), State.RETURNED, REVIEWER,
            comment_required="退回时须填写退回意见，说明需要修改的内容",
            button="退回修改",
        ),
        Transition(
            Action.REOPEN, frozenset({State.APPROVED}), State.DRAFT, REVIEWER,
            comment_required="重新开放已审核的数据须填写理由",
            button="重新开放",
        ),
        # A returned year goes back to 填报中 with the first change saved after the return.
        Transition(Action.RESUME, frozenset({State.RETURNED}), State.DRAFT, SYSTEM),
    ]
}  # fmt: skip


def transition(action: str) -> Transition:
    """The transition of an action; KeyError for an action that is not a transition."""
    return TRANSITIONS[action]


def offered(state: str, may_take) -> list[Transition]:
    """The steps from `state` that `may_take(step)` allows, in table order."""
    return [t for t in TRANSITIONS.values() if state in t.sources and may_take(t)]
