"""Pure Bot API checks: each rule answers with Telegram's text."""

from __future__ import annotations

import pytest

from bot.sandbox.errors import ApiError
from bot.sandbox.validation import (
    check_callback_data,
    check_caption,
    check_commands,
    check_entities,
    check_inline_results,
    check_message_text,
    check_reply_markup,
    check_secret_token,
    check_webhook_url,
    utf16_len,
)


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)
    assert caught.value.status == 400
    return caught.value.description


def test_utf16_len_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("🙂") == 2
    assert utf16_len("é") == 1


@pytest.mark.parametrize("text", ["", " ", "\n\t "])
def test_empty_or_blank_text_is_rejected(text: str) -> None:
    assert error_of(check_message_text, text) == "Bad Request: message text is empty"


def test_text_limit_is_4096_code_points() -> None:
    assert check_message_text("a" * 4096) == "a" * 4096
    assert error_of(check_message_text, "a" * 4097) == "Bad Request: message is too long"


def test_text_limit_counts_code_points_not_utf16_units() -> None:
    # tdlib compares utf8_length (code points); 4096 emoji are 8192 UTF-16 units and pass.
    assert check_message_text("🙂" * 4096) == "🙂" * 4096
    assert error_of(check_message_text, "🙂" * 4097) == "Bad Request: message is too long"


def test_trailing_whitespace_is_trimmed_before_the_limit() -> None:
    assert check_message_text("hi  \n") == "hi"
    assert check_message_text("a" * 4096 + "   ") == "a" * 4096


def test_caption_limit_is_1024() -> None:
    assert check_caption("c" * 1024) == "c" * 1024
    assert error_of(check_caption, "c" * 1025) == "Bad Request: message caption is too long"


@pytest.mark.parametrize("data", ["x" * 65, "é" * 33])
def test_callback_data_over_64_bytes_is_invalid(data: str) -> None:
    assert error_of(check_callback_data, data) == "Bad Request: BUTTON_DATA_INVALID"


def test_callback_data_of_64_bytes_is_fine() -> None:
    assert check_callback_data("é" * 32) == "é" * 32


def inline(*buttons: dict[str, object]) -> dict[str, object]:
    return {"inline_keyboard": [list(buttons)]}


def test_inline_keyboard_normalizes_and_drops_empty_rows() -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a", "url": None}], []]}
    assert check_reply_markup(markup) == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }


def test_reply_markup_must_be_an_object() -> None:
    assert error_of(check_reply_markup, [1]) == "Bad Request: object expected as reply markup"


def test_inline_keyboard_must_be_array_of_arrays() -> None:
    assert error_of(check_reply_markup, {"inline_keyboard": [{"text": "A"}]}) == (
        'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup should be an Array '
        "of Arrays"
    )


def test_button_must_be_an_object() -> None:
    assert error_of(check_reply_markup, {"inline_keyboard": [["A"]]}) == (
        "Bad Request: can't parse inline keyboard button: InlineKeyboardButton should be an Object"
    )


def test_button_without_action_is_a_text_button() -> None:
    expected = (
        "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the "
        "inline keyboard"
    )
    assert error_of(check_reply_markup, inline({"text": "A"})) == expected
    # Telegram treats an empty callback_data as absent.
    assert error_of(check_reply_markup, inline({"text": "A", "callback_data": ""})) == expected


def test_button_with_several_actions_is_rejected() -> None:
    description = error_of(
        check_reply_markup, inline({"text": "A", "callback_data": "a", "url": "https://x.org"})
    )
    assert description.startswith("Bad Request: can't parse inline keyboard button: exactly one")


def test_button_without_text() -> None:
    assert error_of(check_reply_markup, inline({"callback_data": "a"})) == (
        "Bad Request: can't parse inline keyboard button: Can't find field \"text\""
    )


def test_button_with_blank_text() -> None:
    assert error_of(check_reply_markup, inline({"text": " ", "callback_data": "a"})) == (
        "Bad Request: BUTTON_TEXT_INVALID"
    )


def test_button_with_long_callback_data() -> None:
    assert error_of(check_reply_markup, inline({"text": "A", "callback_data": "x" * 65})) == (
        "Bad Request: BUTTON_DATA_INVALID"
    )


def test_url_button_needs_a_real_url() -> None:
    assert error_of(check_reply_markup, inline({"text": "A", "url": "example.org"})) == (
        "Bad Request: BUTTON_URL_INVALID"
    )
    ok = check_reply_markup(inline({"text": "A", "url": "https://example.org"}))
    assert ok == {"inline_keyboard": [[{"text": "A", "url": "https://example.org"}]]}


def test_switch_inline_query_may_be_empty() -> None:
    markup = check_reply_markup(inline({"text": "Share", "switch_inline_query": ""}))
    assert markup == {"inline_keyboard": [[{"text": "Share", "switch_inline_query": ""}]]}


def test_more_than_100_inline_buttons() -> None:
    rows = [[{"text": str(i), "callback_data": str(i)}] for i in range(101)]
    assert error_of(check_reply_markup, {"inline_keyboard": rows}) == (
        "Bad Request: reply markup is too long"
    )


def test_edits_take_only_inline_keyboards() -> None:
    markup = {"keyboard": [["Yes"]]}
    assert error_of(check_reply_markup, markup, inline_only=True) == (
        "Bad Request: inline keyboard expected"
    )


def test_reply_keyboard_accepts_strings_and_objects() -> None:
    markup = check_reply_markup({"keyboard": [["Yes", {"text": "No"}]], "one_time_keyboard": True})
    assert markup == {"keyboard": [[{"text": "Yes"}, {"text": "No"}]], "one_time_keyboard": True}


def test_reply_keyboard_must_be_array_of_arrays() -> None:
    assert error_of(check_reply_markup, {"keyboard": ["Yes"]}) == (
        'Bad Request: field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
    )


def test_remove_keyboard_must_be_true() -> None:
    assert check_reply_markup({"remove_keyboard": True}) == {"remove_keyboard": True}
    assert error_of(check_reply_markup, {"remove_keyboard": False}).startswith("Bad Request:")


def test_unknown_markup_object_is_ignored_like_telegram() -> None:
    assert check_reply_markup({}) is None


def test_entities_must_fit_the_text_in_utf16_units() -> None:
    entities = [{"type": "bold", "offset": 0, "length": 2}]
    assert check_entities("🙂", entities) == entities
    description = error_of(check_entities, "ab", [{"type": "bold", "offset": 1, "length": 2}])
    assert description.startswith("Bad Request: can't parse entities:")


def test_commands_are_lowercase_names() -> None:
    assert check_commands([{"command": "/start", "description": "Begin"}]) == [
        {"command": "start", "description": "Begin"}
    ]
    assert error_of(check_commands, [{"command": "Start", "description": "x"}]) == (
        "Bad Request: BOT_COMMAND_INVALID"
    )
    assert error_of(check_commands, [{"command": "start", "description": ""}]).startswith(
        "Bad Request: command description"
    )


def test_webhook_needs_https_except_loopback() -> None:
    assert check_webhook_url("https://example.org/hook") == "https://example.org/hook"
    assert check_webhook_url("http://127.0.0.1:8443/hook") == "http://127.0.0.1:8443/hook"
    assert error_of(check_webhook_url, "http://example.org/hook") == (
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    )


def test_secret_token_characters() -> None:
    assert check_secret_token("abc_DEF-123") == "abc_DEF-123"
    assert error_of(check_secret_token, "no spaces") == (
        "Bad Request: secret token contains unallowed characters"
    )


def test_inline_results_need_unique_ids() -> None:
    result = {"type": "article", "id": "1", "title": "t"}
    assert check_inline_results([result]) == [result]
    assert error_of(check_inline_results, [result, result]) == "Bad Request: RESULT_ID_DUPLICATE"
    assert (
        error_of(check_inline_results, [{**result, "id": ""}]) == "Bad Request: RESULT_ID_INVALID"
    )
