"""Telegram's HTML parse mode (the only one the sandbox implements), checked against TDLib."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.formatting import EntityParseError, escape_html, parse_html, utf16_len

# Any text a bot could send: valid Unicode, so no lone surrogates.
texts = st.text(st.characters(blacklist_categories=["Cs"]))


def ent(kind: str, offset: int, length: int, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "offset": offset, "length": length, **extra}


# --- utf16_len and escaping -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", 0), ("abc", 3), ("é", 1), ("😀", 2), ("a😀b", 4), ("👍🏽", 4), ("\U0010fffd", 2)],
)
def test_utf16_len(text: str, expected: int) -> None:
    assert utf16_len(text) == expected


@given(texts)
def test_utf16_len_matches_encoding(text: str) -> None:
    assert utf16_len(text) == len(text.encode("utf-16-le")) // 2


def test_escape_html() -> None:
    assert escape_html('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"


@given(texts)
def test_escaped_html_parses_back(text: str) -> None:
    assert parse_html(escape_html(text)) == (text, [])


@given(texts.filter(bool))
def test_bold_html_covers_whole_text(text: str) -> None:
    assert parse_html(f"<b>{escape_html(text)}</b>") == (text, [ent("bold", 0, utf16_len(text))])


@given(texts, texts.filter(bool), texts)
def test_entity_offsets_are_utf16(before: str, inside: str, after: str) -> None:
    html = f"{escape_html(before)}<i>{escape_html(inside)}</i>{escape_html(after)}"
    expected = (before + inside + after, [ent("italic", utf16_len(before), utf16_len(inside))])
    assert parse_html(html) == expected


@given(texts)
def test_parser_never_crashes(text: str) -> None:
    try:
        plain, entities = parse_html(text)
    except EntityParseError:
        return
    for entity in entities:
        assert entity["length"] > 0
        assert entity["offset"] + entity["length"] <= utf16_len(plain)


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("plain", "plain", []),
        ("<b>b</b><strong>s</strong>", "bs", [ent("bold", 0, 1), ent("bold", 1, 1)]),
        ("<i>i</i><em>e</em>", "ie", [ent("italic", 0, 1), ent("italic", 1, 1)]),
        ("<u>u</u><ins>n</ins>", "un", [ent("underline", 0, 1), ent("underline", 1, 1)]),
        (
            "<s>s</s><strike>t</strike><del>d</del>",
            "std",
            [ent("strikethrough", 0, 1), ent("strikethrough", 1, 1), ent("strikethrough", 2, 1)],
        ),
        (
            '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>',
            "ab",
            [ent("spoiler", 0, 1), ent("spoiler", 1, 1)],
        ),
        ("<B>caps</B >", "caps", [ent("bold", 0, 4)]),
        ("<b>a</>", "a", [ent("bold", 0, 1)]),
        ("<code>x &lt; y</code>", "x < y", [ent("code", 0, 5)]),
        ('<code class="language-py">x</code>', "x", [ent("code", 0, 1)]),
        ("<pre>line\nline</pre>", "line\nline", [ent("pre", 0, 9)]),
        (
            '<pre><code class="language-python">x = 1</code></pre>',
            "x = 1",
            [ent("pre", 0, 5, language="python")],
        ),
        (
            '<code class="language-c"><pre>x</pre></code>',
            "x",
            [ent("pre", 0, 1, language="c")],
        ),
        ("<pre><code>x</code></pre>", "x", [ent("pre", 0, 1), ent("code", 0, 1)]),
        ("<blockquote>q</blockquote>", "q", [ent("blockquote", 0, 1)]),
        ("<blockquote expandable>q</blockquote>", "q", [ent("expandable_blockquote", 0, 1)]),
        (
            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
            "👍",
            [ent("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
        ),
        ("<b>😀</b>x", "😀x", [ent("bold", 0, 2)]),
        ("😀<b>x</b>", "😀x", [ent("bold", 2, 1)]),
        ("𝄞<i>𝄞</i>", "𝄞𝄞", [ent("italic", 2, 2)]),
        ("<b></b>empty", "empty", []),
        ("<b><i></i></b>x", "x", []),
        (
            "<b>bold <i>both</i></b>",
            "bold both",
            [ent("bold", 0, 9), ent("italic", 5, 4)],
        ),
        (
            "<i><b>same</b></i>",
            "same",
            [ent("bold", 0, 4), ent("italic", 0, 4)],
        ),
        (
            "<u><s>x</s></u><b><u>y</u></b>",
            "xy",
            [
                ent("underline", 0, 1),
                ent("strikethrough", 0, 1),
                ent("bold", 1, 1),
                ent("underline", 1, 1),
            ],
        ),
    ],
)
def test_html_valid(html: str, text: str, entities: list[dict[str, Any]]) -> None:
    assert parse_html(html) == (text, entities)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("&lt;&gt;&amp;&quot;", '<>&"'),
        ("&#65;&#x42;&#x1F600;", "AB😀"),
        ("&#65 &lt no semicolon", "A < no semicolon"),
        ("&nbsp;&copy;&LT;", "&nbsp;&copy;&LT;"),
        ("&#0; &#x; &#; &", "&#0; &#x; &#; &"),
        ("&#X41;", "&#X41;"),
        ("&#1114111;", "&#1114111;"),
        ("&#1114110;", "\U0010fffe"),
        ("&#00000065;", "&#00000065;"),
        ("a > b", "a > b"),
    ],
)
def test_html_character_references(html: str, text: str) -> None:
    assert parse_html(html) == (text, [])


@pytest.mark.parametrize(
    ("html", "entity"),
    [
        (
            '<a href="https://t.me/kindling">t</a>',
            ent("text_link", 0, 1, url="https://t.me/kindling"),
        ),
        (
            "<a href='https://example.com'>t</a>",
            ent("text_link", 0, 1, url="https://example.com/"),
        ),
        (
            '<a href="example.com/x?a=1&amp;b=2">t</a>',
            ent("text_link", 0, 1, url="http://example.com/x?a=1&b=2"),
        ),
        ("<a href=example.com>t</a>", ent("text_link", 0, 1, url="http://example.com/")),
        (
            '<a href="HTTP://Example.COM/Path">t</a>',
            ent("text_link", 0, 1, url="http://example.com/Path"),
        ),
        (
            '<a href="tg://user?id=123456789">u</a>',
            ent("text_mention", 0, 1, user={"id": 123456789}),
        ),
        ('<a href="tg:user?id=42">u</a>', ent("text_mention", 0, 1, user={"id": 42})),
        (
            '<a href="tg://resolve?domain=x">r</a>',
            ent("text_link", 0, 1, url="tg://resolve?domain=x"),
        ),
        ("<a>example.org</a>", ent("text_link", 0, 11, url="http://example.org/")),
    ],
)
def test_html_links(html: str, entity: dict[str, Any]) -> None:
    assert parse_html(html)[1] == [entity]


@pytest.mark.parametrize(
    "href",
    [
        "localhost",
        "ftp://example.com",
        "javascript:alert(1)",
        "",
        "https://exa mple.com",
        "http://example.com:0",
    ],
)
def test_html_invalid_links_are_dropped(href: str) -> None:
    assert parse_html(f'<a href="{href}">x</a>') == ("x", [])


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("ab<br/>", 'Unsupported start tag "br/" at byte offset 2'),
        ("<>", 'Unsupported start tag "" at byte offset 0'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é<p>", 'Unsupported start tag "p" at byte offset 2'),
        ("abc<b", "Unclosed start tag at byte offset 3"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        (
            "<i>bold <b>x</i></b>",
            'Unmatched end tag at byte offset 12, expected "</b>", found "</i>"',
        ),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</b y>", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        (
            '<span class="spoiler">x</span>',
            'Tag "span" must have class "tg-spoiler" at byte offset 0',
        ),
        ("<a href=https://x.com>x</a>", "Unexpected end of name token at byte offset 8"),
        ('<a href="x.com', "Unclosed start tag at byte offset 0"),
        ("<a href=", 'Unclosed start tag "a" at byte offset 0'),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ("<b =x>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("<b/>", 'Unsupported start tag "b/" at byte offset 0'),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("<tg-emoji>x</tg-emoji>", "Invalid custom emoji identifier specified"),
        (
            "&#xD83D;&#xDE00;",
            "Text contains invalid Unicode characters after decoding HTML "
            "entities, check for unmatched surrogate code units",
        ),
    ],
)
def test_html_errors(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(html)
    assert str(info.value) == error


def test_html_empty_emoji_is_not_checked() -> None:
    assert parse_html("<tg-emoji></tg-emoji>x") == ("x", [])


def test_entity_parse_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Unsupported start tag"):
        parse_html("<x>")
