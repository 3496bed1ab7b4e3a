"""Class names come from one rule (`generator.naming.class_name`): the schema's own words in
PascalCase, without stutter, counters or anything a title could smuggle in."""

from __future__ import annotations

import pytest

from generator.naming import class_name, words


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("codex_turn_event",), "CodexTurnEvent"),
        (("turn_token_usage", "fact"), "TurnTokenUsageFact"),
        # no stutter: the words a part shares with the end of the name are said once
        (("codex_turn_event", "event_params"), "CodexTurnEventParams"),
        (("codex_thread_initialized", "event_params"), "CodexThreadInitializedEventParams"),
        (("codex_error_info", "httpConnectionFailed"), "CodexErrorInfoHttpConnectionFailed"),
        # a part that only repeats the end of the name: the data the name holds
        (
            ("codex_error_info", "httpConnectionFailed", "httpConnectionFailed"),
            "CodexErrorInfoHttpConnectionFailedData",
        ),
        # conditional parts, items and map values
        (("client_request", "fact", "turn/start", "params"), "ClientRequestFactTurnStartParams"),
        (
            ("notification", "fact", "item/autoApprovalReview/completed"),
            "NotificationFactItemAutoApprovalReviewCompleted",
        ),
        (("skill_invoked", "fact", "invocations", "item"), "SkillInvokedFactInvocationsItem"),
        (("codex_error_info", "other unit variant"), "CodexErrorInfoOtherUnitVariant"),
        (("mcp", "MCPServer"), "McpServer"),  # words compare case-insensitively
        (("9lives",), "X9Lives"),
    ],
)
def test_class_name(path: tuple[str, ...], expected: str) -> None:
    assert class_name(path) == expected


def test_an_older_version_gets_its_version_as_a_suffix() -> None:
    assert class_name(("codex_turn_event", "event_params"), "1-0-0") == "CodexTurnEventParamsV1_0_0"
    assert class_name(("codex_turn_event",), None) == "CodexTurnEvent"


def test_schema_text_cannot_leave_an_identifier() -> None:
    name = class_name(("event", "x'); import os; os.system('rm -rf /') #\n\"\"\""))
    assert name.isidentifier() and name.isascii()
    assert name == "EventXImportOsOsSystemRmRf"


def test_words() -> None:
    assert words("httpConnectionFailed") == ["Http", "Connection", "Failed"]
    assert words("item/autoApprovalReview/completed") == [
        "Item",
        "Auto",
        "Approval",
        "Review",
        "Completed",
    ]
    assert words("") == []


def test_a_path_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="no words"):
        class_name(("/", "--"))
