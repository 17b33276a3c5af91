"""Telegram's HTML text formatting, parsed the way the Bot API does.

Kindling sends HTML only (the application's default parse mode), so this is the one parse mode
the sandbox implements; ``messages.py`` refuses MarkdownV2 and Markdown with a 400 that says so.

The parser follows TDLib's ``parse_html`` (``td/telegram/MessageEntity.cpp``) step by step: it
walks the UTF-8 bytes, so every byte offset in an error message is the one Telegram reports, and
it counts UTF-16 code units for entity offsets and lengths. Links go through a port of
``LinkManager``'s checks: an invalid ``href`` silently drops the link, as on Telegram.

Only the parse step is modelled. What Telegram does afterwards when it sends the message
(``fix_formatted_text``: trimming leading and trailing spaces, merging and splitting overlapping
entities, replacing control characters) is not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "EntityParseError",
    "escape_html",
    "parse_html",
    "utf16_len",
]


class EntityParseError(ValueError):
    """The text cannot be parsed.

    ``str(error)`` is Telegram's description, the part after "Bad Request: can't parse entities: ".
    """


# --- shared helpers ---------------------------------------------------------------------------

_MAX_USER_ID = (1 << 40) - 1
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1

# Order in which Telegram sorts entities that share offset and length (lower first).
_TYPE_PRIORITY = {
    "expandable_blockquote": 0,
    "blockquote": 0,
    "pre": 10,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    url: str = ""
    language: str = ""
    user_id: int = 0
    custom_emoji_id: int = 0

    def sort_key(self) -> tuple[int, int, int]:
        priority = _TYPE_PRIORITY[self.type]
        if self.type == "pre" and not self.language:
            priority = 11  # TDLib's Pre sorts after PreCode
        return (self.offset, -self.length, priority)

    def to_bot_api(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.type == "text_link":
            result["url"] = self.url
        elif self.type == "text_mention":
            result["user"] = {"id": self.user_id}
        elif self.type == "custom_emoji":
            result["custom_emoji_id"] = str(self.custom_emoji_id)
        elif self.type == "pre" and self.language:
            result["language"] = self.language
        return result


def utf16_len(s: str) -> int:
    """Return the length of ``s`` in UTF-16 code units, the unit of Telegram's offsets."""
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


def escape_html(s: str) -> str:
    """Escape ``s`` so that Telegram's HTML parse mode shows it verbatim."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _encode(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise EntityParseError("Strings must be encoded in UTF-8") from None


def _at(data: bytes | bytearray, i: int) -> int:
    """Return the byte at ``i``, or 0 past the end (TDLib reads a NUL-terminated string)."""
    return data[i] if i < len(data) else 0


def _is_space(c: int) -> bool:
    return c in b" \t\r\n\0\v"


def _is_alpha(c: int) -> bool:
    return 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A


def _is_digit(c: int) -> bool:
    return 0x30 <= c <= 0x39


def _is_hex_digit(c: int) -> bool:
    return _is_digit(c) or 0x41 <= c <= 0x46 or 0x61 <= c <= 0x66


def _utf16_units(c: int) -> int:
    """UTF-16 units started by UTF-8 byte ``c``: 0 for continuation bytes, 2 for 4-byte forms."""
    if c & 0xC0 == 0x80:
        return 0
    return 2 if c >= 0xF0 else 1


def _finish(out: bytes | bytearray, entities: list[_Entity]) -> tuple[str, list[dict[str, Any]]]:
    entities.sort(key=_Entity.sort_key)
    return bytes(out).decode("utf-8"), [entity.to_bot_api() for entity in entities]


def _to_int64(text: str) -> int | None:
    """Parse a signed 64-bit integer the way TDLib's ``to_integer_safe`` does (round-trip only)."""
    body = text[1:] if text.startswith("-") else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    if str(value) != text or not _INT64_MIN <= value <= _INT64_MAX:
        return None
    return value


# --- links (LinkManager) ----------------------------------------------------------------------


def _query_parameter(query: str, name: str) -> str | None:
    for parameter in query.split("&"):
        key, _, value = parameter.partition("=")
        if key == name:
            return value
    return None


def _tg_link_query(url: str, host: str) -> str | None:
    """Return the query of a ``tg://<host>?...`` link, or None for any other link."""
    lowered = _ascii_lower(url)
    if not lowered.startswith("tg:"):
        return None
    rest = lowered[3:]
    rest = rest.removeprefix("//")
    if not rest.startswith(host) or (len(rest) > len(host) and rest[len(host)] not in "/?#"):
        return None
    rest = rest[len(host) :].removeprefix("/")
    if not rest.startswith("?"):
        return None
    return rest[1:].partition("#")[0]


def _ascii_lower(s: str) -> str:
    return "".join(ch.lower() if "A" <= ch <= "Z" else ch for ch in s)


def _link_user_id(url: str) -> int | None:
    """Return the user of a ``tg://user?id=`` link (a text mention), else None."""
    query = _tg_link_query(url, "user")
    if query is None:
        return None
    user_id = _to_int64(_query_parameter(query, "id") or "")
    if user_id is None or not 0 < user_id <= _MAX_USER_ID:
        return None
    return user_id


_URL_PART_PUNCTUATION = ".-_!$,~*'();&+="


def _url_part_is_valid(part: str, *, allow_colon: bool) -> bool:
    i = 0
    while i < len(part):
        ch = part[i]
        if ch == "%":
            if not all(_is_hex_digit(ord(c)) for c in part[i + 1 : i + 3]) or i + 3 > len(part):
                return False
            i += 3
            continue
        ok = ch.isascii() and ch.isalnum()
        if not (
            ok or ch in _URL_PART_PUNCTUATION or (allow_colon and ch == ":") or ord(ch) >= 0x80
        ):
            return False
        i += 1
    return True


@dataclass
class _ParsedUrl:
    protocol: str
    userinfo: str
    host: str
    port: int
    query: str
    is_ipv6: bool


def _split_port(authority: str) -> tuple[str, int] | None:
    colon = len(authority) - 1
    while colon > 0 and authority[colon] not in ":]@":
        colon -= 1
    if colon <= 0 or authority[colon] != ":":
        return authority, 0
    port_text = authority[colon + 1 :]
    port = int(port_text) if port_text.isascii() and port_text.isdigit() else 0
    if not 0 < port <= 65535:
        return None
    return authority[:colon], port


def _parse_url(url: str) -> _ParsedUrl | None:
    """Port of TDLib's ``parse_url`` with HTTP as the default protocol; None when invalid."""
    end = 0
    while end < len(url) and url[end] not in ":/?#@[]":
        end += 1
    protocol = "http"
    position = 0
    if url.startswith("://", end):
        protocol = _ascii_lower(url[:end])
        if protocol not in ("http", "https"):
            return None
        position = end + 3
    end = position
    while end < len(url) and url[end] not in "/?#":
        end += 1
    split = _split_port(url[position:end])
    if split is None:
        return None
    userinfo_host, port = split
    userinfo, _, host = userinfo_host.rpartition("@")
    host = _ascii_lower(host)
    is_ipv6 = len(host) > 1 and host[0] == "[" and host[-1] == "]"
    if not host or host == ".":
        return None
    if is_ipv6:
        if any(ch not in "0123456789abcdef:." for ch in host[1:-1]):
            return None
    elif not (
        _url_part_is_valid(host, allow_colon=False)
        and _url_part_is_valid(userinfo, allow_colon=True)
    ):
        return None
    query = url[end:].rstrip(" \t\r\n\0\v") or "/"
    query = ("" if query.startswith("/") else "/") + "".join(
        f"%{ord(ch):02X}" if ord(ch) <= 0x20 else ch for ch in query
    )
    return _ParsedUrl(protocol, userinfo, host, port, query, is_ipv6)


def _checked_link(url: str) -> str | None:
    """Return the normalized link Telegram stores for a text link, or None if it is dropped."""
    scheme = next(
        (s for s in ("tg", "ton", "tonsite") if _ascii_lower(url).startswith(s + ":")), ""
    )
    rest = url[len(scheme) + 1 :].removeprefix("//") if scheme else url
    parsed = _parse_url(rest)
    if parsed is None:
        return None
    if scheme:
        if (
            _ascii_lower(rest).startswith("http://")
            or parsed.protocol == "https"
            or parsed.userinfo
            or parsed.port
            or parsed.is_ipv6
        ):
            return None
        allowed = "-_." if scheme == "tonsite" else "-_"
        if any(not (ch.isascii() and ch.isalnum()) and ch not in allowed for ch in parsed.host):
            return None
        query = parsed.query[1:] if parsed.query.startswith("/?") else parsed.query
        return f"{scheme}://{parsed.host}{query}"
    if "." not in parsed.host and not parsed.is_ipv6:
        return None
    userinfo = f"{parsed.userinfo}@" if parsed.userinfo else ""
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.protocol}://{userinfo}{parsed.host}{port}{parsed.query}"


def _link_entity(offset: int, length: int, url: str) -> _Entity | None:
    user_id = _link_user_id(url)
    if user_id is not None:
        return _Entity("text_mention", offset, length, user_id=user_id)
    checked = _checked_link(url)
    if checked is None:
        return None
    return _Entity("text_link", offset, length, url=checked)


# --- HTML ---------------------------------------------------------------------------------------

_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_HTML_ENTITIES = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}


def _decode_html_entity(src: bytes, pos: int) -> tuple[int, int]:
    """Decode the character reference at ``src[pos] == '&'``: (code point or 0, next position)."""
    end = pos + 1
    code = 0
    if _at(src, end) == ord("#"):
        end += 1
        if _at(src, end) == ord("x"):
            end += 1
            while _is_hex_digit(_at(src, end)):
                code = code * 16 + int(chr(src[end]), 16)
                end += 1
        else:
            while _is_digit(_at(src, end)):
                code = code * 10 + src[end] - 0x30
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while _is_alpha(_at(src, end)):
            end += 1
        code = _NAMED_HTML_ENTITIES.get(src[pos + 1 : end], 0)
        if code == 0:
            return 0, pos
    if _at(src, end) == ord(";"):
        end += 1
    return code, end


def _encode_code_point(code: int) -> bytes:
    return chr(code).encode("utf-8", "surrogatepass")


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int
    begin: int  # byte position of the tag's content in the output


class _HtmlParser:
    def __init__(self, text: str) -> None:
        self.src = _encode(text)
        self.out = bytearray()
        self.offset = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[_Entity] = []
        self.has_surrogate = False

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        i = 0
        while i < len(self.src):
            c = self.src[i]
            if c == ord("&"):
                code, after = _decode_html_entity(self.src, i)
                if code:
                    self.offset += 2 if code > 0xFFFF else 1
                    self.has_surrogate |= 0xD800 <= code <= 0xDFFF
                    self.out += _encode_code_point(code)
                    i = after
                    continue
            if c != ord("<"):
                self.offset += _utf16_units(c)
                self.out.append(c)
                i += 1
            elif _at(self.src, i + 1) == ord("/"):
                i = self._close_tag(i)
            else:
                i = self._open_tag(i)
        if self.stack:
            name = self.stack[-1].name
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        if self.has_surrogate:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        for entity in self.entities:
            if entity.type == "code":
                entity.language = ""
        return _finish(self.out, self.entities)

    def _skip_spaces(self, i: int) -> int:
        while _at(self.src, i) != 0 and _is_space(_at(self.src, i)):
            i += 1
        return i

    def _open_tag(self, begin: int) -> int:
        src = self.src
        i = begin + 1
        while not _is_space(_at(src, i)) and _at(src, i) != ord(">"):
            i += 1
        if _at(src, i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = src[begin + 1 : i].lower().decode("utf-8")
        if tag not in _SUPPORTED_TAGS:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument = ""
        while _at(src, i) != ord(">"):
            i = self._skip_spaces(i)
            if _at(src, i) == ord(">"):
                break
            i, argument = self._attribute(tag, begin, i, argument)
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        self.stack.append(_OpenTag(tag, argument, self.offset, len(self.out)))
        return i + 1

    def _attribute(self, tag: str, begin: int, i: int, argument: str) -> tuple[int, str]:
        """Read one attribute at ``i``; return the position after it and the tag's argument."""
        src = self.src
        name_begin = i
        while not _is_space(_at(src, i)) and _at(src, i) not in b"=>/\"'":
            i += 1
        name = src[name_begin:i].decode("utf-8")
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        i = self._skip_spaces(i)
        if _at(src, i) != ord("="):
            if _at(src, i) == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and name == "expandable":
                argument = "1"
            return i, argument
        i = self._skip_spaces(i + 1)
        if _at(src, i) == 0:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if _at(src, i) in b"\"'":
            i, value = self._quoted_value(i)
        else:
            i, value = self._name_token(i)
        if _at(src, i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        return i, _tag_argument(tag, name, value, argument)

    def _name_token(self, i: int) -> tuple[int, str]:
        # A name token: letters, digits, periods or hyphens, not case sensitive.
        src = self.src
        token_begin = i
        while chr(_at(src, i)).isascii() and (chr(_at(src, i)).isalnum() or _at(src, i) in b".-"):
            i += 1
        if not _is_space(_at(src, i)) and _at(src, i) != ord(">"):
            raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
        return i, src[token_begin:i].lower().decode("utf-8")

    def _quoted_value(self, i: int) -> tuple[int, str]:
        src = self.src
        quote = src[i]
        i += 1
        value = bytearray()
        while _at(src, i) not in (quote, 0):
            if src[i] == ord("&"):
                code, after = _decode_html_entity(src, i)
                if code:
                    value += _encode_code_point(code)
                    i = after
                    continue
            value.append(src[i])
            i += 1
        if _at(src, i) == quote:
            i += 1
        return i, bytes(value).decode("utf-8", "replace")

    def _close_tag(self, begin: int) -> int:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        src = self.src
        i = begin + 2
        while not _is_space(_at(src, i)) and _at(src, i) != ord(">"):
            i += 1
        end_name = src[begin + 2 : i].lower().decode("utf-8")
        while _at(src, i) != 0 and _is_space(_at(src, i)):
            i += 1
        if _at(src, i) != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        top = self.stack[-1]
        if end_name and end_name != top.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{top.name}>", '
                f'found "</{end_name}>"'
            )
        if self.offset > top.offset:
            self._add_entity(top, self.offset - top.offset)
        self.stack.pop()
        return i + 1

    def _add_entity(self, tag: _OpenTag, length: int) -> None:
        offset = tag.offset
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last.offset, last.length) == (offset, length)
        if tag.name in _SIMPLE_TAGS:
            self.entities.append(_Entity(_SIMPLE_TAGS[tag.name], offset, length))
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append(_Entity(kind, offset, length))
        elif tag.name == "tg-emoji":
            emoji_id = _to_int64(tag.argument)
            if not emoji_id:
                raise EntityParseError("Invalid custom emoji identifier specified")
            self.entities.append(_Entity("custom_emoji", offset, length, custom_emoji_id=emoji_id))
        elif tag.name == "a":
            url = tag.argument or bytes(self.out[tag.begin :]).decode("utf-8", "replace")
            entity = _link_entity(offset, length, url)
            if entity is not None:
                self.entities.append(entity)
        elif tag.name == "pre":
            if same_span and last is not None and last.type == "code" and last.language:
                last.type = "pre"
            else:
                self.entities.append(_Entity("pre", offset, length))
        elif same_span and last is not None and last.type == "pre" and tag.argument:  # code
            last.language = tag.argument
        else:
            self.entities.append(_Entity("code", offset, length, language=tag.argument))


def _tag_argument(tag: str, name: str, value: str, argument: str) -> str:
    """Return the tag's argument after attribute ``name=value``; others are ignored."""
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    if tag == "blockquote" and name == "expandable":
        return "1"
    return argument


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return the plain text and its entities (UTF-16 offsets), or raise EntityParseError."""
    return _HtmlParser(text).parse()
