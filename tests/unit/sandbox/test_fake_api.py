"""FakeTelegram.call: methods, state and Telegram's error answers."""

from __future__ import annotations

import asyncio
import json

import pytest
from telegram import Bot, Message

from bot.sandbox.fake_api import FakeTelegram
from bot.sandbox.users import SimulatedUser
from tests.unit.sandbox.conftest import Ticker


async def ok(fake: FakeTelegram, method: str, **params):
    status, body = await fake.call(method, params)
    assert (status, body["ok"]) == (200, True), body
    return body["result"]


async def fails(fake: FakeTelegram, method: str, files=None, **params) -> tuple[int, str]:
    status, body = await fake.call(method, params, files)
    assert body["ok"] is False
    assert body["error_code"] == status
    return status, body["description"]


def bad(description: str) -> tuple[int, str]:
    return 400, f"Bad Request: {description}"


async def test_get_me_describes_the_bot(fake: FakeTelegram) -> None:
    me = await ok(fake, "getMe")
    assert me["is_bot"] is True
    assert me["username"] == "kindling_bot"
    assert me["id"] == 123456


async def test_method_names_are_case_insensitive(fake: FakeTelegram) -> None:
    assert (await ok(fake, "GETME"))["username"] == "kindling_bot"


# sendLocation is a real Telegram method that Kindling never calls: unknown here, like any other.
@pytest.mark.parametrize("method", ["sendTelepathy", "sendLocation"])
async def test_unknown_method_is_404(fake: FakeTelegram, method: str) -> None:
    status, body = await fake.call(method, {})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})


async def test_wrong_token_is_401(fake: FakeTelegram) -> None:
    status, body = await fake.call("getMe", {}, token="999:WRONG")
    assert (status, body["description"]) == (401, "Unauthorized")


async def test_calls_are_recorded_decoded(fake: FakeTelegram, ana: SimulatedUser) -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]})
    await fake.call("sendMessage", {"chat_id": str(ana.id), "text": "hi", "reply_markup": markup})
    call = fake.calls[-1]
    assert call.method == "sendMessage"
    assert call.status == 200
    assert call.params["chat_id"] == ana.id
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }
    assert fake.calls_to("sendmessage") == [call]


async def test_send_message_returns_real_message_json(
    fake: FakeTelegram, ana: SimulatedUser, clock: Ticker
) -> None:
    result = await ok(fake, "sendMessage", chat_id=ana.id, text="Hello")
    assert result["from"]["id"] == fake.bot_user["id"]
    assert result["chat"] == {"id": ana.id, "type": "private", "first_name": "Ana"}
    assert result["date"] == int(clock())
    message = Message.de_json(result, Bot(fake.token))
    assert message.text == "Hello"
    assert message.chat_id == ana.id


async def test_message_ids_grow_per_chat_and_are_shared_with_the_user(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    first = await ok(fake, "sendMessage", chat_id=ana.id, text="one")
    await ana.send_text("reply")
    second = await ok(fake, "sendMessage", chat_id=ana.id, text="two")
    assert (first["message_id"], second["message_id"]) == (2, 4)
    ben = fake.add_user("Ben")
    await ben.send_text("hey")
    assert (await ok(fake, "sendMessage", chat_id=ben.id, text="x"))["message_id"] == 2


async def test_params_may_be_json_strings(fake: FakeTelegram, ana: SimulatedUser) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    result = await ok(
        fake, "sendMessage", chat_id=str(ana.id), text="123", reply_markup=json.dumps(markup)
    )
    assert result["text"] == "123"
    assert result["reply_markup"] == markup


async def test_unknown_chat(fake: FakeTelegram) -> None:
    assert await fails(fake, "sendMessage", chat_id=42, text="hi") == bad("chat not found")


async def test_missing_chat_id(fake: FakeTelegram) -> None:
    assert await fails(fake, "sendMessage", text="hi") == bad("chat_id is empty")


async def test_user_who_never_wrote_cannot_be_messaged(fake: FakeTelegram) -> None:
    silent = fake.add_user("Silent")
    assert await fails(fake, "sendMessage", chat_id=silent.id, text="hi") == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )


async def test_user_who_blocked_before_writing_is_still_not_reachable(fake: FakeTelegram) -> None:
    silent = fake.add_user("Silent")
    silent.block()
    status, _ = await fails(fake, "sendMessage", chat_id=silent.id, text="hi")
    assert status == 403


async def test_blocked_user(fake: FakeTelegram, ana: SimulatedUser) -> None:
    ana.block()
    assert await fails(fake, "sendMessage", chat_id=ana.id, text="hi") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    ana.unblock()
    await ok(fake, "sendMessage", chat_id=ana.id, text="hi")


@pytest.mark.parametrize("text", ["", "   "])
async def test_empty_text(fake: FakeTelegram, ana: SimulatedUser, text: str) -> None:
    assert await fails(fake, "sendMessage", chat_id=ana.id, text=text) == bad(
        "message text is empty"
    )


async def test_missing_text(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "sendMessage", chat_id=ana.id) == bad("message text is empty")


async def test_too_long_text(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "sendMessage", chat_id=ana.id, text="a" * 4097) == bad(
        "message is too long"
    )


async def test_bad_reply_markup_json(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "sendMessage", chat_id=ana.id, text="x", reply_markup="{oops") == bad(
        "can't parse reply keyboard markup JSON object"
    )


async def test_long_callback_data(fake: FakeTelegram, ana: SimulatedUser) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "x" * 65}]]}
    assert await fails(fake, "sendMessage", chat_id=ana.id, text="x", reply_markup=markup) == bad(
        "BUTTON_DATA_INVALID"
    )
    assert ana.messages == []


async def test_reply_to_missing_message(fake: FakeTelegram, ana: SimulatedUser) -> None:
    params = {"chat_id": ana.id, "text": "x", "reply_parameters": {"message_id": 99}}
    status, body = await fake.call("sendMessage", params)
    assert (status, body["description"]) == bad("message to be replied not found")
    params["reply_parameters"] = {"message_id": 99, "allow_sending_without_reply": True}
    status, body = await fake.call("sendMessage", params)
    assert status == 200
    params["reply_parameters"] = {"message_id": 1}
    status, body = await fake.call("sendMessage", params)
    assert body["result"]["reply_to_message"]["text"] == "/start"


async def test_parse_mode_html(fake: FakeTelegram, ana: SimulatedUser) -> None:
    result = await ok(
        fake, "sendMessage", chat_id=ana.id, text="<b>Hi</b> 🙂 <i>you</i>", parse_mode="HTML"
    )
    assert result["text"] == "Hi 🙂 you"
    assert result["entities"] == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 6, "length": 3},
    ]


async def test_parse_mode_html_error(fake: FakeTelegram, ana: SimulatedUser) -> None:
    status, description = await fails(
        fake, "sendMessage", chat_id=ana.id, text="<b>Hi", parse_mode="HTML"
    )
    assert status == 400
    assert description.startswith("Bad Request: can't parse entities: ")


async def test_length_is_checked_after_parsing(fake: FakeTelegram, ana: SimulatedUser) -> None:
    text = "<b>" + "a" * 4096 + "</b>"
    result = await ok(fake, "sendMessage", chat_id=ana.id, text=text, parse_mode="HTML")
    assert len(result["text"]) == 4096


@pytest.mark.parametrize("mode", ["MarkdownV2", "Markdown", "markdownv2"])
async def test_markdown_parse_modes_are_refused_not_sent_as_plain_text(
    fake: FakeTelegram, ana: SimulatedUser, mode: str
) -> None:
    # Kindling sends HTML only, so the sandbox parses only HTML; a Markdown message must fail
    # loudly here rather than pass as plain text and look different on Telegram.
    refused = bad(
        f'parse_mode "{mode}" is not implemented by the Kindling sandbox, which parses only '
        "HTML, the parse mode Kindling sends (see docs/fake-bot-api.md)"
    )
    assert (
        await fails(fake, "sendMessage", chat_id=ana.id, text="*Hi*", parse_mode=mode) == refused
    )
    photo = "https://example.org/a.jpg"
    assert (
        await fails(
            fake, "sendPhoto", chat_id=ana.id, photo=photo, caption="*Hi*", parse_mode=mode
        )
        == refused
    )
    assert ana.messages == []


async def test_unsupported_parse_mode(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "sendMessage", chat_id=ana.id, text="x", parse_mode="BBCode") == bad(
        "unsupported parse_mode"
    )


async def test_explicit_entities_win_over_parse_mode(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    entities = [{"type": "bold", "offset": 0, "length": 3}]
    result = await ok(
        fake, "sendMessage", chat_id=ana.id, text="<b>", parse_mode="HTML", entities=entities
    )
    assert (result["text"], result["entities"]) == ("<b>", entities)


# -- editing and deleting ---------------------------------------------------------------------


async def sent(fake: FakeTelegram, user: SimulatedUser, text: str = "Pick", **params) -> int:
    result = await ok(fake, "sendMessage", chat_id=user.id, text=text, **params)
    return int(result["message_id"])


KEYBOARD = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}


async def test_edit_message_text(fake: FakeTelegram, ana: SimulatedUser, clock: Ticker) -> None:
    message_id = await sent(fake, ana, reply_markup=KEYBOARD)
    clock.advance(5)
    result = await ok(fake, "editMessageText", chat_id=ana.id, message_id=message_id, text="Done")
    assert result["text"] == "Done"
    assert result["edit_date"] == int(clock())
    assert "reply_markup" not in result  # omitting reply_markup removes the inline keyboard
    assert ana.last_message.edits == 1
    assert ana.last_message.buttons == []


async def test_edit_not_modified(fake: FakeTelegram, ana: SimulatedUser) -> None:
    message_id = await sent(fake, ana, reply_markup=KEYBOARD)
    assert await fails(
        fake,
        "editMessageText",
        chat_id=ana.id,
        message_id=message_id,
        text="Pick",
        reply_markup=KEYBOARD,
    ) == bad(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
    # The same text without the keyboard is a change.
    await ok(fake, "editMessageText", chat_id=ana.id, message_id=message_id, text="Pick")


async def test_edit_not_modified_compares_after_trimming(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await sent(fake, ana, text="Same")
    status, _ = await fails(
        fake, "editMessageText", chat_id=ana.id, message_id=message_id, text="Same \n"
    )
    assert status == 400


async def test_edit_missing_message(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "editMessageText", chat_id=ana.id, message_id=99, text="x") == bad(
        "message to edit not found"
    )


async def test_edit_users_message(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "editMessageText", chat_id=ana.id, message_id=1, text="x") == bad(
        "message can't be edited"
    )


async def test_edit_text_of_photo(fake: FakeTelegram, ana: SimulatedUser) -> None:
    result = await ok(fake, "sendPhoto", chat_id=ana.id, photo="https://example.org/a.jpg")
    assert await fails(
        fake, "editMessageText", chat_id=ana.id, message_id=result["message_id"], text="x"
    ) == bad("there is no text in the message to edit")


async def test_edit_with_reply_keyboard_is_rejected(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    message_id = await sent(fake, ana)
    assert await fails(
        fake,
        "editMessageText",
        chat_id=ana.id,
        message_id=message_id,
        text="x",
        reply_markup={"keyboard": [["A"]]},
    ) == bad("inline keyboard expected")


async def test_delete_message(fake: FakeTelegram, ana: SimulatedUser) -> None:
    message_id = await sent(fake, ana)
    assert await ok(fake, "deleteMessage", chat_id=ana.id, message_id=message_id) is True
    assert ana.messages == []
    assert await fails(fake, "deleteMessage", chat_id=ana.id, message_id=message_id) == bad(
        "message to delete not found"
    )


async def test_delete_after_48_hours(
    fake: FakeTelegram, ana: SimulatedUser, clock: Ticker
) -> None:
    message_id = await sent(fake, ana)
    clock.advance(48 * 3600 + 1)
    assert await fails(fake, "deleteMessage", chat_id=ana.id, message_id=message_id) == bad(
        "message can't be deleted for everyone"
    )


# -- callback queries -------------------------------------------------------------------------


async def test_answer_callback_query(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await sent(fake, ana, reply_markup=KEYBOARD)
    update = await ana.press("A")
    query_id = update["callback_query"]["id"]
    assert await ok(fake, "answerCallbackQuery", callback_query_id=query_id, text="Saved") is True
    assert ana.callback_answers == [
        {
            "callback_query_id": query_id,
            "user_id": ana.id,
            "text": "Saved",
            "show_alert": False,
            "url": None,
        }
    ]


TOO_OLD = bad("query is too old and response timeout expired or query ID is invalid")


async def test_answer_unknown_callback_query(fake: FakeTelegram) -> None:
    assert await fails(fake, "answerCallbackQuery", callback_query_id="123") == TOO_OLD


async def test_answer_callback_query_twice(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await sent(fake, ana, reply_markup=KEYBOARD)
    query_id = (await ana.press("A"))["callback_query"]["id"]
    await ok(fake, "answerCallbackQuery", callback_query_id=query_id)
    assert await fails(fake, "answerCallbackQuery", callback_query_id=query_id) == TOO_OLD


async def test_answer_callback_query_too_late(
    fake: FakeTelegram, ana: SimulatedUser, clock: Ticker
) -> None:
    await sent(fake, ana, reply_markup=KEYBOARD)
    query_id = (await ana.press("A"))["callback_query"]["id"]
    clock.advance(16)
    assert await fails(fake, "answerCallbackQuery", callback_query_id=query_id) == TOO_OLD


async def test_answer_callback_query_needs_an_id(fake: FakeTelegram) -> None:
    assert await fails(fake, "answerCallbackQuery") == bad(
        'parameter "callback_query_id" is required'
    )


async def test_answer_callback_query_text_limit(fake: FakeTelegram, ana: SimulatedUser) -> None:
    await sent(fake, ana, reply_markup=KEYBOARD)
    query_id = (await ana.press("A"))["callback_query"]["id"]
    assert await fails(
        fake, "answerCallbackQuery", callback_query_id=query_id, text="x" * 201
    ) == bad("MESSAGE_TOO_LONG")


async def test_answer_inline_query(fake: FakeTelegram, ana: SimulatedUser) -> None:
    query_id = (await ana.inline_query("kind"))["inline_query"]["id"]
    results = [
        {
            "type": "article",
            "id": "1",
            "title": "t",
            "input_message_content": {"message_text": "x"},
        }
    ]
    assert (
        await fails(fake, "answerInlineQuery", inline_query_id="nope", results=results) == TOO_OLD
    )
    assert await ok(
        fake, "answerInlineQuery", inline_query_id=query_id, results=json.dumps(results)
    )
    assert fake.inline_answers[0]["results"] == results


# -- media -----------------------------------------------------------------------------------


async def test_send_photo_upload(fake: FakeTelegram, ana: SimulatedUser) -> None:
    status, body = await fake.call(
        "sendPhoto", {"chat_id": ana.id, "caption": "Look"}, {"photo": ("a.jpg", b"\xff\xd8jpeg")}
    )
    assert status == 200
    result = body["result"]
    assert result["caption"] == "Look"
    assert [size["width"] for size in result["photo"]] == [90, 320, 1280]
    assert ana.last_message.kind == "photo"
    assert fake.calls[-1].files == {"photo": "a.jpg"}
    again = await ok(fake, "sendPhoto", chat_id=ana.id, photo=result["photo"][-1]["file_id"])
    assert again["photo"][0]["file_unique_id"] == result["photo"][0]["file_unique_id"]


async def test_send_photo_errors(fake: FakeTelegram, ana: SimulatedUser) -> None:
    assert await fails(fake, "sendPhoto", chat_id=ana.id) == bad(
        "there is no photo in the request"
    )
    assert await fails(fake, "sendPhoto", chat_id=ana.id, photo="made-up") == bad(
        "wrong file identifier/HTTP URL specified"
    )
    assert await fails(fake, "sendPhoto", {"photo": ("a.jpg", b"")}, chat_id=ana.id) == bad(
        "file must be non-empty"
    )
    assert await fails(
        fake, "sendPhoto", chat_id=ana.id, photo="https://example.org/a.jpg", caption="c" * 1025
    ) == bad("message caption is too long")


async def test_send_document(fake: FakeTelegram, ana: SimulatedUser) -> None:
    status, body = await fake.call(
        "sendDocument", {"chat_id": ana.id}, {"document": ("notes.txt", b"hello")}
    )
    assert status == 200
    document = body["result"]["document"]
    assert (document["file_name"], document["mime_type"], document["file_size"]) == (
        "notes.txt",
        "text/plain",
        5,
    )
    assert ana.last_message.kind == "document"


async def test_send_document_attach_reference(fake: FakeTelegram, ana: SimulatedUser) -> None:
    status, body = await fake.call(
        "sendDocument",
        {"chat_id": ana.id, "document": "attach://file1"},
        {"file1": ("a.csv", b"1,2")},
    )
    assert status == 200
    assert body["result"]["document"]["file_name"] == "a.csv"


# -- commands ---------------------------------------------------------------------------------


async def test_commands_by_scope_and_language(fake: FakeTelegram) -> None:
    commands = [{"command": "start", "description": "Begin"}]
    await ok(fake, "setMyCommands", commands=json.dumps(commands))
    await ok(
        fake,
        "setMyCommands",
        commands=[{"command": "start", "description": "Anfang"}],
        language_code="de",
    )
    assert await ok(fake, "getMyCommands") == commands
    assert await ok(fake, "getMyCommands", language_code="de") == [
        {"command": "start", "description": "Anfang"}
    ]
    assert await ok(fake, "getMyCommands", scope={"type": "all_private_chats"}) == []
    assert await fails(
        fake, "setMyCommands", commands=[{"command": "Bad!", "description": "x"}]
    ) == bad("BOT_COMMAND_INVALID")


# -- getUpdates and webhooks ------------------------------------------------------------------


async def test_get_updates_confirms_below_offset(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    for text in ("a", "b", "c"):
        await ana.send_text(text)
    updates = await ok(fake, "getUpdates")
    assert [u["message"]["text"] for u in updates] == ["a", "b", "c"]
    first = updates[0]["update_id"]
    assert [u["message"]["text"] for u in await ok(fake, "getUpdates", offset=first + 1)] == [
        "b",
        "c",
    ]
    # Confirmed updates are gone for good.
    assert [u["message"]["text"] for u in await ok(fake, "getUpdates")] == ["b", "c"]
    assert [u["message"]["text"] for u in await ok(fake, "getUpdates", limit=1)] == ["b"]
    assert [u["message"]["text"] for u in await ok(fake, "getUpdates", offset=-1)] == ["c"]


async def test_get_updates_long_poll_wakes_on_new_update(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    poll = asyncio.create_task(fake.call("getUpdates", {"timeout": 5}))
    await asyncio.sleep(0)
    assert not poll.done()
    await ana.send_text("hello")
    status, body = await asyncio.wait_for(poll, 1)
    assert status == 200
    assert [u["message"]["text"] for u in body["result"]] == ["hello"]


async def test_get_updates_long_poll_times_out_empty(fake: FakeTelegram) -> None:
    assert await ok(fake, "getUpdates", timeout=0.01) == []


async def test_second_poller_terminates_the_first(fake: FakeTelegram) -> None:
    first = asyncio.create_task(fake.call("getUpdates", {"timeout": 5}))
    await asyncio.sleep(0)
    second = asyncio.create_task(fake.call("getUpdates", {"timeout": 0.01}))
    status, body = await asyncio.wait_for(first, 1)
    assert (status, body["description"]) == (
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot "
        "instance is running",
    )
    assert (await second)[0] == 200


async def test_allowed_updates_filter_future_updates(
    fake: FakeTelegram, ana: SimulatedUser
) -> None:
    await ok(fake, "getUpdates", offset=-1)
    await ok(fake, "sendMessage", chat_id=ana.id, text="x", reply_markup=KEYBOARD)
    latest = (await ok(fake, "getUpdates"))[-1]["update_id"]
    await ok(fake, "getUpdates", offset=latest + 1, allowed_updates=json.dumps(["callback_query"]))
    await ana.send_text("ignored")
    await ana.press("A")
    updates = await ok(fake, "getUpdates")
    assert [next(k for k in u if k != "update_id") for u in updates] == ["callback_query"]


async def test_get_updates_while_webhook_is_set(fake: FakeTelegram) -> None:
    await ok(fake, "setWebhook", url="https://example.org/hook")
    assert await fails(fake, "getUpdates") == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first",
    )
    await ok(fake, "deleteWebhook")
    assert await ok(fake, "getUpdates") == []


async def test_webhook_info_and_drop_pending(fake: FakeTelegram) -> None:
    ana = fake.add_user("Ana")
    await ana.send_text("one")
    await ok(fake, "setWebhook", url="https://example.org/hook", secret_token="s3cret")
    info = await ok(fake, "getWebhookInfo")
    assert (info["url"], info["pending_update_count"]) == ("https://example.org/hook", 1)
    fake.webhook_failed("Wrong response from the webhook: 500 Internal Server Error")
    info = await ok(fake, "getWebhookInfo")
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )
    await ok(fake, "deleteWebhook", drop_pending_updates=True)
    info = await ok(fake, "getWebhookInfo")
    assert (info["url"], info["pending_update_count"]) == ("", 0)


async def test_set_webhook_validation(fake: FakeTelegram) -> None:
    assert await fails(fake, "setWebhook", url="http://example.org/hook") == bad(
        "bad webhook: An HTTPS URL must be provided for webhook"
    )
    assert await fails(fake, "setWebhook", url="https://example.org", secret_token="a b") == bad(
        "secret token contains unallowed characters"
    )
