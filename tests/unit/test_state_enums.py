"""Every status of fulfilment and drafting carries its words in both languages and a transition table naming only
its own members."""

from __future__ import annotations

import pytest

from zhijiao.drafting.stages import Disposition, ReplyStatus, Stage
from zhijiao.fulfilment.states import TRANSITIONS, BatchStatus, CorrectionStatus, Status
from zhijiao.states import State

STATES: list[type[State]] = [Status, BatchStatus, CorrectionStatus, Stage, Disposition, ReplyStatus]


@pytest.mark.parametrize("enum", STATES, ids=lambda e: e.__name__)
def test_every_member_has_a_chinese_and_an_english_label(enum: type[State]) -> None:
    for member in enum:
        assert member.label("zh"), member
        assert member.label("en"), member
        assert member.labels == {"zh": member.zh, "en": member.en}
        assert enum.label_table()[member.value] == member.labels
        assert enum(member.value) is member
        assert member == member.value


@pytest.mark.parametrize("enum", STATES, ids=lambda e: e.__name__)
def test_the_transition_table_names_only_its_own_members(enum: type[State]) -> None:
    table = enum.following()
    assert table, "an empty table: nothing may ever change"
    for source, targets in table.items():
        assert type(source) is enum
        assert all(type(target) is enum for target in targets), source
    for member in enum:
        assert member.final == (not any(member.can_become(other) for other in enum))


def test_the_application_table_is_the_named_transitions() -> None:
    for sources, target in TRANSITIONS.values():
        assert all(source.can_become(target) for source in sources)
    assert Status.paid.can_become(Status.county_reviewed)
    assert not Status.paid.can_become(Status.draft)
    assert Status.rejected.final
    assert Status.withdrawn.final


def test_the_smaller_tables() -> None:
    assert BatchStatus.prepared.can_become(BatchStatus.released)
    assert BatchStatus.released.can_become(BatchStatus.closed)  # reconciled: every payment confirmed or withdrawn
    assert BatchStatus.closed.final
    assert not BatchStatus.cancelled.can_become(BatchStatus.released)
    assert CorrectionStatus.proposed.can_become(CorrectionStatus.withdrawn)
    assert CorrectionStatus.refused.final
    assert ReplyStatus.no_comments.can_become(ReplyStatus.items)
    assert not ReplyStatus.items.can_become(ReplyStatus.no_comments)
    assert Stage.first_draft.can_become(Stage.issued)
    assert not Stage.issued.can_become(Stage.discussion)


def test_the_api_words_are_those_of_before() -> None:
    assert Status.city_approved.label("en") == "approved by the city"
    assert BatchStatus.cancelled.zh == "已取消（数据变化，转重新审核）"
    assert CorrectionStatus.proposed.labels == {"zh": "待复核", "en": "awaiting confirmation"}
