"""Syntax of the transform expression language: tokenizer, AST and a Pratt parser.

The language is a small, side-effect-free subset of JavaScript expressions (see
:mod:`dataops.ontology.expressions`). Every error is an :class:`ExpressionError` naming the
problem and its character offset.

>>> parse("value ? 'a' : row.b").then
Literal(pos=8, value='a')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from dataops.ontology.errors import ExpressionError

MAX_LENGTH = 2000
MAX_DEPTH = 50

# Words of SQL that someone might try to smuggle in; named in the error (with a hint for some).
SQL_WORDS: dict[str, str] = dict.fromkeys([
    "SELECT", "FROM", "WHERE", "COPY", "ATTACH", "DETACH", "PRAGMA", "SET", "RESET", "INSTALL",
    "LOAD", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "CALL", "EXPORT", "IMPORT",
    "UNION", "WITH", "EXECUTE", "PREPARE", "VACUUM", "CHECKPOINT", "USE", "DESCRIBE", "SHOW",
    "SUMMARIZE", "BEGIN", "COMMIT", "ROLLBACK", "GRANT", "TRUNCATE", "EXPLAIN", "CAST", "CASE",
    "WHEN", "THEN", "ELSE", "END", "LIKE", "BETWEEN", "AS", "IN",
], "")  # fmt: skip
SQL_WORDS |= {"AND": " (use &&)", "OR": " (use ||)", "NOT": " (use !)", "IS": " (use == or !=)"}
_FORBIDDEN = [
    (";", "semicolons are not allowed"),
    ("`", "backticks are not allowed"),
    ("//", "comments are not allowed"),
    ("/*", "comments are not allowed"),
    ("--", "'--' is not allowed (no comments or decrement)"),
    ("++", "'++' is not allowed (no increment)"),
    ("=>", "arrow functions are not allowed"),
]
_PUNCT = [  # longest first
    "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "??", "?.",
    "+", "-", "*", "/", "%", "<", ">", "!", "?", ":", "(", ")", "[", "]", "{", "}", ",", ".",
]  # fmt: skip
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HEX = re.compile(r"[0-9A-Fa-f]+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_INFIX = {"??": 3, "||": 3, "&&": 4, "==": 8, "!=": 8, "===": 8, "!==": 8}
_INFIX |= {"<": 9, "<=": 9, ">": 9, ">=": 9, "+": 11, "-": 11, "*": 12, "/": 12, "%": 12}
_TERNARY_BP = 2
_UNARY_BP = 14
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}


def expression_error(message: str, pos: int) -> ExpressionError:
    """An :class:`ExpressionError` whose message ends with ``at <pos>``."""
    return ExpressionError(f"{message} at {pos}", details={"position": pos})


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "str", "ident", "op" or "end"
    text: str
    pos: int
    value: str | int | float | None = None


@dataclass(frozen=True)
class Node:
    pos: int
    depth: int = field(default=1, kw_only=True, repr=False, compare=False)


@dataclass(frozen=True)
class Literal(Node):
    value: str | int | float | bool | None


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Conditional(Node):
    test: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class Member(Node):
    obj: Node
    name: str
    name_pos: int


@dataclass(frozen=True)
class Index(Node):
    obj: Node
    index: Node


@dataclass(frozen=True)
class Call(Node):
    callee: Node
    args: tuple[Node, ...]


@dataclass(frozen=True)
class New(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class ObjectLit(Node):
    entries: tuple[tuple[str, int, Node], ...]  # key, key position, value


def tokenize(text: str) -> Iterator[Token]:
    """Split ``text`` into tokens, refusing anything outside the language's alphabet.

    Lazily, so that the parser reports the first problem in the text.
    """
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        for bad, message in _FORBIDDEN:
            if text.startswith(bad, i):
                raise expression_error(message, i)
        if ch in "\"'":
            token, i = _string(text, i)
            yield token
        elif m := _NUMBER.match(text, i):
            end = m.end()
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                raise expression_error(f"invalid number {text[i : end + 1]!r}", i)
            yield Token("num", m.group(), i, _number_value(m.group(), i))
            i = end
        elif m := _IDENT.match(text, i):
            yield Token("ident", m.group(), i)
            i = m.end()
        else:
            op = next((p for p in _PUNCT if text.startswith(p, i)), None)
            if op == "?." and i + 2 < len(text) and text[i + 2].isdigit():
                op = "?"  # `a ?.5 : b` is a ternary, as in JavaScript
            if op is None:
                if ch == "=":
                    raise expression_error("assignment '=' is not allowed (use == to compare)", i)
                if ch in "&|^~":
                    raise expression_error(f"bitwise operator {ch!r} is not allowed", i)
                raise expression_error(f"unexpected character {ch!r}", i)
            yield Token("op", op, i)
            i += len(op)
    yield Token("end", "", len(text))


def _number_value(text: str, pos: int) -> int | float:
    if text.isdigit() and int(text) < 2**63:
        return int(text)
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise expression_error(f"number {text} is out of range", pos)
    return value


def _string(text: str, start: int) -> tuple[Token, int]:
    """The string literal starting at ``start`` and the offset after it."""
    quote, out, i = text[start], [], start + 1
    while True:
        if i >= len(text) or text[i] in "\r\n":
            raise expression_error("unterminated string", start)
        ch, size = (text[i], 1) if text[i] != "\\" else _escape(text, i, start)
        if ch == quote and size == 1:
            break
        if 0xD800 <= ord(ch) <= 0xDBFF and text.startswith("\\u", i + size):
            low, low_size = _escape(text, i + size, start)
            if 0xDC00 <= ord(low) <= 0xDFFF:  # a UTF-16 surrogate pair, as JavaScript writes them
                ch, size = (
                    chr(0x10000 + ((ord(ch) - 0xD800) << 10) + ord(low) - 0xDC00),
                    size + low_size,
                )
        if ch == "\0" or unicodedata.category(ch) == "Cs":
            raise expression_error("NUL characters and lone surrogates are not allowed", i)
        out.append(ch)
        i += size
    return Token("str", text[start : i + 1], start, "".join(out)), i + 1


def _escape(text: str, i: int, start: int) -> tuple[str, int]:
    """The character of the escape sequence at ``text[i]`` (a backslash) and its length."""
    if i + 1 >= len(text):
        raise expression_error("unterminated string", start)
    kind = text[i + 1]
    if kind == "x":
        digits, size, valid = text[i + 2 : i + 4], 4, range(2, 3)
    elif kind == "u" and text.startswith("{", i + 2):
        end = text.find("}", i + 3)
        digits, size, valid = text[i + 3 : end], end + 1 - i, range(1, 7)
        if end < 0:
            digits = ""
    elif kind == "u":
        digits, size, valid = text[i + 2 : i + 6], 6, range(4, 5)
    else:
        return _ESCAPES.get(kind, kind), 2
    if len(digits) not in valid or not _HEX.fullmatch(digits):
        raise expression_error(f"invalid escape sequence \\{kind}", i)
    if int(digits, 16) > 0x10FFFF:
        raise expression_error(f"invalid escape sequence \\{kind}{digits}", i)
    return chr(int(digits, 16)), size


class _Parser:
    def __init__(self, tokens: Iterator[Token]) -> None:
        self.source = tokens
        self.tokens: list[Token] = []
        self.i = 0
        self.nesting = 0

    def peek(self) -> Token:
        while len(self.tokens) <= self.i:
            token = next(self.source, None)
            if token is None:
                return self.tokens[-1]  # the end
            self.tokens.append(token)
        return self.tokens[self.i]

    def next(self) -> Token:
        tok = self.peek()
        self.i += 1
        return tok

    def accept(self, op: str) -> Token | None:
        tok = self.peek()
        if tok.kind == "op" and tok.text == op:
            self.i += 1
            return tok
        return None

    def expect(self, op: str) -> Token:
        tok = self.accept(op)
        if tok is None:
            raise self.unexpected(self.peek(), f"expected {op!r}")
        return tok

    def unexpected(self, tok: Token, expected: str = "") -> ExpressionError:
        if tok.kind == "ident" and tok.text.upper() in SQL_WORDS:
            hint = SQL_WORDS[tok.text.upper()]
            return expression_error(
                f"{tok.text} is not part of the expression language{hint}", tok.pos
            )
        what = "end of expression" if tok.kind == "end" else repr(tok.text)
        return expression_error(
            f"unexpected {what}" + (f", {expected}" if expected else ""), tok.pos
        )

    def node(self, cls: type[Node], pos: int, *args: object) -> Node:
        children = [a for a in args if isinstance(a, Node)]
        for arg in args:
            if isinstance(arg, tuple):  # call arguments, or object entries (key, pos, value)
                children += [x if isinstance(x, Node) else x[2] for x in arg]
        depth = 1 + max((c.depth for c in children), default=0)
        if depth > MAX_DEPTH:
            raise expression_error(f"expression is nested more than {MAX_DEPTH} levels deep", pos)
        return cls(pos, *args, depth=depth)

    def expression(self, min_bp: int = 0) -> Node:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise expression_error(
                f"expression is nested more than {MAX_DEPTH} levels deep", self.peek().pos
            )
        left = self.prefix()
        while True:
            tok = self.peek()
            if tok.kind != "op":
                break
            if tok.text == "?" and min_bp < _TERNARY_BP:
                self.next()
                then = self.expression(0)
                self.expect(":")
                left = self.node(
                    Conditional, left.pos, left, then, self.expression(_TERNARY_BP - 1)
                )
            elif tok.text in _INFIX and _INFIX[tok.text] > min_bp:
                self.next()
                right = self.expression(_INFIX[tok.text])
                left = self.node(Binary, left.pos, tok.text, left, right)
            else:
                break
        self.nesting -= 1
        return left

    def prefix(self) -> Node:
        tok = self.next()
        node: Node
        if tok.kind in ("num", "str"):
            node = Literal(tok.pos, tok.value)
        elif tok.kind == "ident" and tok.text in _KEYWORDS:
            node = Literal(tok.pos, _KEYWORDS[tok.text])
        elif tok.kind == "ident" and tok.text == "new":
            name = self.next()
            if name.kind != "ident":
                raise self.unexpected(name, "expected a name after 'new'")
            self.expect("(")
            node = self.node(New, tok.pos, name.text, self.arguments())
        elif tok.kind == "ident":
            if tok.text.upper() in SQL_WORDS:
                raise self.unexpected(tok)
            node = Name(tok.pos, tok.text)
        elif tok.kind == "op" and tok.text in ("!", "-", "+"):
            return self.node(Unary, tok.pos, tok.text, self.expression(_UNARY_BP))
        elif tok.kind == "op" and tok.text == "(":
            node = self.expression(0)
            self.expect(")")
        elif tok.kind == "op" and tok.text == "{":
            node = self.object(tok.pos)
        elif tok.kind == "op" and tok.text == "[":
            raise expression_error("array literals are not allowed", tok.pos)
        else:
            raise self.unexpected(tok)
        return self.postfix(node)

    def postfix(self, node: Node) -> Node:
        while True:
            if self.accept(".") or self.accept("?."):
                name = self.next()
                if name.kind != "ident":
                    raise self.unexpected(name, "expected a name after '.'")
                node = self.node(Member, node.pos, node, name.text, name.pos)
            elif tok := self.accept("("):
                node = self.node(Call, node.pos, node, self.arguments())
            elif tok := self.accept("["):
                index = self.expression(0)
                self.expect("]")
                node = self.node(Index, tok.pos, node, index)
            else:
                return node

    def arguments(self) -> tuple[Node, ...]:
        args: list[Node] = []
        while not self.accept(")"):
            args.append(self.expression(0))
            if not self.accept(","):
                self.expect(")")
                break
        return tuple(args)

    def object(self, pos: int) -> Node:
        entries: list[tuple[str, int, Node]] = []
        while not self.accept("}"):
            key = self.next()
            if key.kind not in ("ident", "str", "num"):
                raise self.unexpected(key, "expected a key")
            self.expect(":")
            value = key.value
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # JavaScript's key for 1.0 is "1"
            text = key.text if key.kind == "ident" else str(value)
            entries.append((text, key.pos, self.expression(0)))
            if not self.accept(","):
                self.expect("}")
                break
        return self.node(ObjectLit, pos, tuple(entries))


def parse(text: str) -> Node:
    """Parse ``text`` (at most :data:`MAX_LENGTH` characters) into an AST."""
    if len(text) > MAX_LENGTH:
        raise expression_error(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    for i, ch in enumerate(text):
        if (ord(ch) < 32 and ch not in "\t\r\n") or unicodedata.category(ch) == "Cs":
            raise expression_error(f"control character {ch!r} is not allowed", i)
    parser = _Parser(tokenize(text))
    node = parser.expression(0)
    if parser.peek().kind != "end":
        raise parser.unexpected(parser.peek())
    return node


PathStep = tuple[str, str | int | None]  # ("key", name), ("index", n) or ("all", None)
_PATH_NAME = re.compile(r"[^.\[\]\"']+")


def parse_path(path: str) -> tuple[PathStep, ...]:
    """Split a nested-field path such as ``items[0].sku``, ``tags[*]`` or ``["a.b"].c``.

    >>> parse_path('items[0]["unit price"]')
    (('key', 'items'), ('index', 0), ('key', 'unit price'))
    """
    steps: list[PathStep] = []
    i = 0
    while i < len(path):
        if path[i] == "[":
            i = _bracket(path, i, steps)
            continue
        if steps:
            if path[i] != ".":
                raise expression_error(f"malformed path {path!r}: expected '.' or '['", i)
            i += 1
        m = _PATH_NAME.match(path, i)
        if m is None or not m.group().strip():
            raise expression_error(f"malformed path {path!r}: expected a field name", i)
        steps.append(("key", m.group()))
        i = m.end()
    return tuple(steps)


def _bracket(path: str, i: int, steps: list[PathStep]) -> int:
    quote = path[i + 1 : i + 2]
    if quote in ("'", '"'):
        close = path.find(quote, i + 2)
        if close < 0 or path[close + 1 : close + 2] != "]" or close == i + 2:
            raise expression_error(f"malformed path {path!r}: bad quoted field name", i)
        steps.append(("key", path[i + 2 : close]))
        return close + 2
    close = path.find("]", i)
    inner = path[i + 1 : close] if close > 0 else ""
    if inner == "*":
        steps.append(("all", None))
    elif inner.isascii() and inner.isdigit() and len(inner) < 10:
        steps.append(("index", int(inner)))
    else:
        raise expression_error(f'malformed path {path!r}: expected [n], [*] or ["name"]', i)
    return close + 1
