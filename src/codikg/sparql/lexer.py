"""The SPARQL 1.1 lexer: query text → terminals, as the grammar's tokenizer reads it.

Follows SPARQL 1.1 Query Language (W3C Recommendation, 21 March 2013):

* §19.2: codepoint escapes (``\\uXXXX``, ``\\UXXXXXXXX``) are replaced by
  their characters *before* tokenising, anywhere in the query string (so
  ``\\u0053ERVICE`` is the keyword ``SERVICE``);
* §19.8: the terminals are productions [139]–[173], compiled below into
  regular expressions from their grammar text (:data:`GRAMMAR`); keywords are
  the quoted words of productions [1]–[138], matched case-insensitively except
  ``a``; white space is [162] ``WS``; a comment runs from ``#`` (outside an
  IRI or a string) to the end of the line, which ends at CR or LF; the
  tokenizer takes the longest match, so no white space is needed between
  tokens (``?o]SERVICE`` is ``?o``, ``]``, ``SERVICE``).

Oxigraph (like SPARQL 1.2 and Turtle) reads escapes differently: only inside
IRIs and strings, as ``UCHAR``. ``tokenize(text, escapes=IN_LITERALS)`` reads
the text that way, so that a check can see a query as either kind of engine
does (see :mod:`codikg.sparql.policy`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

#: Production numbers, names and definitions as SPARQL 1.1 Query §19.8 writes them.
GRAMMAR = "\n".join(line.strip() for line in (
    r"""[139]  IRIREF            ::=  '<' ([^<>"{}|^`\]-[#x00-#x20])* '>' """,
    r"""[140]  PNAME_NS          ::=  PN_PREFIX? ':' """,
    r"""[141]  PNAME_LN          ::=  PNAME_NS PN_LOCAL """,
    r"""[142]  BLANK_NODE_LABEL  ::=  '_:' ( PN_CHARS_U | [0-9] ) ((PN_CHARS|'.')* PN_CHARS)? """,
    r"""[143]  VAR1              ::=  '?' VARNAME """,
    r"""[144]  VAR2              ::=  '$' VARNAME """,
    r"""[145]  LANGTAG           ::=  '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)* """,
    r"""[146]  INTEGER           ::=  [0-9]+ """,
    r"""[147]  DECIMAL           ::=  [0-9]* '.' [0-9]+ """,
    r"""[148]  DOUBLE            ::=  [0-9]+ '.' [0-9]* EXPONENT | '.' ([0-9])+ EXPONENT | ([0-9])+ EXPONENT """,
    r"""[149]  INTEGER_POSITIVE  ::=  '+' INTEGER """,
    r"""[150]  DECIMAL_POSITIVE  ::=  '+' DECIMAL """,
    r"""[151]  DOUBLE_POSITIVE   ::=  '+' DOUBLE """,
    r"""[152]  INTEGER_NEGATIVE  ::=  '-' INTEGER """,
    r"""[153]  DECIMAL_NEGATIVE  ::=  '-' DECIMAL """,
    r"""[154]  DOUBLE_NEGATIVE   ::=  '-' DOUBLE """,
    r"""[155]  EXPONENT          ::=  [eE] [+-]? [0-9]+ """,
    r"""[156]  STRING_LITERAL1   ::=  "'" ( ([^#x27#x5C#xA#xD]) | ECHAR )* "'" """,
    r"""[157]  STRING_LITERAL2   ::=  '"' ( ([^#x22#x5C#xA#xD]) | ECHAR )* '"' """,
    r"""[158]  STRING_LITERAL_LONG1  ::=  "'''" ( ( "'" | "''" )? ( [^'\] | ECHAR ) )* "'''" """,
    r'''[159]  STRING_LITERAL_LONG2  ::=  '"""' ( ( '"' | '""' )? ( [^"\] | ECHAR ) )* '"""' ''',
    r"""[160]  ECHAR             ::=  '\' [tbnrf\"'] """,
    r"""[161]  NIL               ::=  '(' WS* ')' """,
    r"""[162]  WS                ::=  #x20 | #x9 | #xD | #xA """,
    r"""[163]  ANON              ::=  '[' WS* ']' """,
    r"""[164]  PN_CHARS_BASE     ::=  [A-Z] | [a-z] | [#x00C0-#x00D6] | [#x00D8-#x00F6] | [#x00F8-#x02FF] | [#x0370-#x037D] | [#x037F-#x1FFF] | [#x200C-#x200D] | [#x2070-#x218F] | [#x2C00-#x2FEF] | [#x3001-#xD7FF] | [#xF900-#xFDCF] | [#xFDF0-#xFFFD] | [#x10000-#xEFFFF] """,
    r"""[165]  PN_CHARS_U        ::=  PN_CHARS_BASE | '_' """,
    r"""[166]  VARNAME           ::=  ( PN_CHARS_U | [0-9] ) ( PN_CHARS_U | [0-9] | #x00B7 | [#x0300-#x036F] | [#x203F-#x2040] )* """,
    r"""[167]  PN_CHARS          ::=  PN_CHARS_U | '-' | [0-9] | #x00B7 | [#x0300-#x036F] | [#x203F-#x2040] """,
    r"""[168]  PN_PREFIX         ::=  PN_CHARS_BASE ((PN_CHARS|'.')* PN_CHARS)? """,
    r"""[169]  PN_LOCAL          ::=  (PN_CHARS_U | ':' | [0-9] | PLX ) ((PN_CHARS | '.' | ':' | PLX)* (PN_CHARS | ':' | PLX) )? """,
    r"""[170]  PLX               ::=  PERCENT | PN_LOCAL_ESC """,
    r"""[171]  PERCENT           ::=  '%' HEX HEX """,
    r"""[172]  HEX               ::=  [0-9] | [A-F] | [a-f] """,
    r"""[173]  PN_LOCAL_ESC      ::=  '\' ( '_' | '~' | '.' | '-' | '!' | '$' | '&' | "'" | '(' | ')' | '*' | '+' | ',' | ';' | '=' | '/' | '?' | '#' | '@' | '%' ) """,
))

#: IRIs and strings when escapes are read only inside them: the productions of
#: :data:`GRAMMAR` with ``UCHAR`` added, as Turtle 1.1 writes them ([18],
#: [22]–[26]; numbers are Turtle's) and as SPARQL 1.2 and Oxigraph read them.
#: They replace the productions of the same name for ``IN_LITERALS``.
UCHAR_GRAMMAR = "\n".join(line.strip() for line in (
    r"""[18]   IRIREF            ::=  '<' ([^<>"{}|^`\]-[#x00-#x20] | UCHAR)* '>' """,
    r"""[23]   STRING_LITERAL1   ::=  "'" ( ([^#x27#x5C#xA#xD]) | ECHAR | UCHAR )* "'" """,
    r"""[22]   STRING_LITERAL2   ::=  '"' ( ([^#x22#x5C#xA#xD]) | ECHAR | UCHAR )* '"' """,
    r"""[24]   STRING_LITERAL_LONG1  ::=  "'''" ( ( "'" | "''" )? ( [^'\] | ECHAR | UCHAR ) )* "'''" """,
    r'''[25]   STRING_LITERAL_LONG2  ::=  '"""' ( ( '"' | '""' )? ( [^"\] | ECHAR | UCHAR ) )* '"""' ''',
    r"""[26]   UCHAR             ::=  '\u' HEX HEX HEX HEX | '\U' HEX HEX HEX HEX HEX HEX HEX HEX """,
))

#: The keywords: every quoted word of productions [1]–[138] of SPARQL 1.1
#: Query and Update, upper-cased (``a`` is the one case-sensitive keyword).
KEYWORDS = frozenset("""
    BASE PREFIX SELECT DISTINCT REDUCED AS CONSTRUCT WHERE DESCRIBE ASK FROM NAMED GROUP BY
    HAVING ORDER ASC DESC LIMIT OFFSET VALUES LOAD SILENT INTO CLEAR DROP CREATE ADD TO MOVE
    COPY INSERT DATA DELETE WITH USING DEFAULT GRAPH ALL OPTIONAL SERVICE BIND UNDEF MINUS
    UNION FILTER NOT IN STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR
    ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE
    STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256
    SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC
    REGEX SUBSTR REPLACE EXISTS COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR TRUE FALSE
""".split())

#: Punctuation and operators: the quoted strings of productions [1]–[138] that are no words.
PUNCTUATION = ("^^", "||", "&&", "!=", "<=", ">=", "{", "}", "(", ")", "[", "]", ",", ";", ".",
               "*", "/", "+", "-", "!", "|", "^", "?", "=", "<", ">")

#: ``escapes`` of :func:`tokenize`: SPARQL 1.1 §19.2, codepoint escapes replaced
#: everywhere before tokenising.
BEFORE_TOKENISING = "before-tokenising"
#: ``escapes`` of :func:`tokenize`: escapes only inside IRIs and strings (``UCHAR``).
IN_LITERALS = "in-literals"

#: Terminals that are tokens (the others only occur inside them), in production order.
TOKEN_TERMINALS = ("IRIREF", "PNAME_NS", "PNAME_LN", "BLANK_NODE_LABEL", "VAR1", "VAR2", "LANGTAG",
                   "INTEGER", "DECIMAL", "DOUBLE", "INTEGER_POSITIVE", "DECIMAL_POSITIVE",
                   "DOUBLE_POSITIVE", "INTEGER_NEGATIVE", "DECIMAL_NEGATIVE", "DOUBLE_NEGATIVE",
                   "STRING_LITERAL1", "STRING_LITERAL2", "STRING_LITERAL_LONG1",
                   "STRING_LITERAL_LONG2", "NIL", "ANON")


class Token(NamedTuple):
    """One terminal of a query.

    Attributes:
        kind: a name of :data:`TOKEN_TERMINALS` (``"VAR1"``, ``"IRIREF"``…),
            ``"KEYWORD"`` or ``"PUNCT"``.
        text: the terminal as the grammar reads it (after §19.2 escapes, if
            those were processed), e.g. ``"SERVICE"``, ``"service"``, ``"?o"``, ``"]"``.
        start: offset of its first character in the text given to :func:`tokenize`.
        end: offset just past its last character in that text.
    """

    kind: str
    text: str
    start: int
    end: int

    @property
    def keyword(self) -> str | None:
        """The keyword, upper-cased (``"a"`` stays as it is); ``None`` for other tokens."""
        if self.kind != "KEYWORD":
            return None
        return self.text if self.text == "a" else self.text.upper()


class LexError(ValueError):
    """The text is not a sequence of SPARQL 1.1 terminals.

    Attributes:
        offset: where the unreadable text starts (in the text given to :func:`tokenize`).
        line, column: the same place, both counted from 1.
        reason: what is wrong there.
    """

    def __init__(self, text: str, offset: int, reason: str):
        self.offset, self.reason = offset, reason
        self.line = text.count("\n", 0, offset) + 1
        self.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        super().__init__(f"{reason} at {self.line}:{self.column} (character {offset})")


# ---- the compiler: W3C EBNF (XML 1.0 §6 notation) → Python regular expressions

_EBNF_TOKEN = re.compile(r"""\s*(?:
    (?P<quoted>'[^']*'|"[^"]*")
  | (?P<cls>\[\^?[^\]]+\])
  | (?P<hex>\#x[0-9A-Fa-f]+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>[()|?*+-])
)""", re.VERBOSE)


def _char(code: int) -> str:
    """One code point written for a regular expression (inside or outside a class)."""
    char = chr(code)
    return char if char.isascii() and char.isalnum() else f"\\U{code:08x}"


def _class(body: str) -> tuple[bool, str]:
    """A character class ``[...]`` of the notation (``#xN``, ranges, a leading
    ``^``) as (negated, the inside of a regex class)."""
    negated = body.startswith("^")
    i = 1 if negated else 0
    codes: list[int | None] = []
    while i < len(body):
        if body.startswith("#x", i):
            end = i + 2
            while end < len(body) and body[end] in "0123456789abcdefABCDEF":
                end += 1
            codes.append(int(body[i + 2:end], 16))
            i = end
        elif body[i] == "-" and codes and i + 1 < len(body):
            codes.append(None)  # a range between the previous and the next character
            i += 1
        else:
            codes.append(ord(body[i]))
            i += 1
    items, j = [], 0
    while j < len(codes):
        if j + 2 < len(codes) and codes[j + 1] is None:
            items.append(f"{_char(codes[j])}-{_char(codes[j + 2])}")
            j += 3
        else:
            items.append(_char(codes[j]) if codes[j] is not None else "\\-")
            j += 1
    return negated, "".join(items)


class _Node(NamedTuple):
    """A compiled expression: its regex, a regex of the characters it can start
    with, whether it matches the empty string, and the inside of a regex class
    when it matches exactly one character of a set (so that alternations of
    such sets merge into one class)."""

    regex: str
    first: str
    empty: bool
    chars: str | None = None


def _chars(chars: str) -> _Node:
    return _Node(f"[{chars}]", f"[{chars}]", False, chars)


class _Compiler:
    """Compiles productions of a grammar text (W3C EBNF, XML 1.0 §6) into regexes."""

    def __init__(self, *texts: str):
        self.rules: dict[str, str] = {}
        for text in texts:
            for line in text.strip().splitlines():
                match = re.fullmatch(r"\[(\d+)\]\s+(\w+)\s+::=\s+(.*)", line.strip())
                if match is None:
                    raise ValueError(f"not a production: {line!r}")
                self.rules[match[2]] = match[3]  # a later text replaces a production
        self._done: dict[str, _Node] = {}
        self._tokens: list[tuple[str, str]] = []
        self._pos = 0

    def compile(self, name: str) -> _Node:
        """The compiled production ``name`` (and, on the way, those it refers to)."""
        if name not in self._done:
            saved = self._tokens, self._pos
            self._tokens, self._pos = _tokens(self.rules[name]), 0
            node = self._alternation()
            if self._pos != len(self._tokens):
                raise ValueError(f"cannot compile {name}: {self.rules[name]!r}")
            self._tokens, self._pos = saved
            self._done[name] = node
        return self._done[name]

    def _peek(self) -> tuple[str | None, str | None]:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else (None, None)

    def _alternation(self) -> _Node:
        parts = [self._sequence()]
        while self._peek() == ("op", "|"):
            self._pos += 1
            parts.append(self._sequence())
        merged: list[_Node] = []
        for part in parts:  # neighbouring one-character sets make one class (same matches)
            if merged and merged[-1].chars is not None and part.chars is not None:
                merged[-1] = _chars(merged[-1].chars + part.chars)
            else:
                merged.append(part)
        parts = merged
        if len(parts) == 1:
            return parts[0]
        return _Node("(?:" + "|".join(p.regex for p in parts) + ")",
                     "(?:" + "|".join(p.first for p in parts) + ")", any(p.empty for p in parts))

    def _sequence(self) -> _Node:
        items = []
        while self._peek()[0] is not None and self._peek() not in (("op", "|"), ("op", ")")):
            items.append(self._difference())
        if len(items) == 1:
            return items[0]
        firsts = []
        for item in items:  # the first characters: up to the first part that cannot be empty
            firsts.append(item.first)
            if not item.empty:
                break
        return _Node("".join(item.regex for item in items),
                     "(?:" + "|".join(firsts) + ")" if firsts else "(?!)",
                     all(item.empty for item in items))

    def _difference(self) -> _Node:
        left = self._postfix()
        if self._peek() != ("op", "-"):
            return left
        self._pos += 1
        right = self._postfix()
        return _Node(f"(?:(?!{right.regex}){left.regex})", left.first, left.empty)

    def _postfix(self) -> _Node:
        node = self._primary()
        while self._peek()[0] == "op" and self._peek()[1] in "?*+":
            op = self._peek()[1]
            self._pos += 1
            node = _Node(f"(?:{node.regex}){op}", node.first, node.empty or op != "+")
        return node

    def _primary(self) -> _Node:
        kind, value = self._peek()
        self._pos += 1
        if kind == "quoted":
            text = value[1:-1]
            if len(text) == 1:
                return _chars(_char(ord(text)))
            return _Node(re.escape(text), re.escape(text[:1]) if text else "(?!)", not text)
        if kind == "cls":
            negated, inside = _class(value[1:-1])
            if negated:
                return _Node(f"[^{inside}]", f"[^{inside}]", False)
            return _chars(inside)
        if kind == "hex":
            return _chars(_char(int(value[2:], 16)))
        if kind == "name":
            node = self.compile(value)
            return node if node.chars is not None else node._replace(regex=f"(?:{node.regex})")
        if (kind, value) == ("op", "("):
            inner = self._alternation()
            if self._peek() != ("op", ")"):
                raise ValueError("unbalanced parenthesis in the grammar")
            self._pos += 1
            return inner if inner.chars is not None else inner._replace(regex=f"(?:{inner.regex})")
        raise ValueError(f"unexpected {value!r} in the grammar")


def _tokens(definition: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(definition.rstrip()):
        match = _EBNF_TOKEN.match(definition, pos)
        if match is None:
            raise ValueError(f"cannot read the grammar at {definition[pos:]!r}")
        out.append((match.lastgroup, match[match.lastgroup]))
        pos = match.end()
    return out


_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PUNCT = re.compile("|".join(re.escape(p) for p in sorted(PUNCTUATION, key=len, reverse=True)))
# [162] WS and comments (§19.8: from '#' to the end of the line, marked by CR or LF).
_SKIP = re.compile(r"(?:[\x20\x09\x0D\x0A]+|#[^\x0D\x0A]*)*")


@lru_cache(maxsize=None)
def _rules(escapes: str) -> tuple[tuple[str, re.Pattern, re.Pattern], ...]:
    """(kind, regex, regex of its first characters) of every token rule, in
    priority order. Compiled on first use: Python's ``re`` takes ~0.1 s for the
    large Unicode classes, which processes that never lex should not pay."""
    compiler = _Compiler(GRAMMAR, UCHAR_GRAMMAR) if escapes == IN_LITERALS else _Compiler(GRAMMAR)
    rules = []
    for name in TOKEN_TERMINALS:
        node = compiler.compile(name)
        rules.append((name, re.compile(node.regex), re.compile(node.first)))
    rules.append(("KEYWORD", _WORD, re.compile("[A-Za-z]")))
    rules.append(("PUNCT", _PUNCT, re.compile("|".join(re.escape(p[0]) for p in PUNCTUATION))))
    return tuple(rules)


@lru_cache(maxsize=4096)
def _candidates(escapes: str, char: str) -> tuple[tuple[str, re.Pattern], ...]:
    """The rules whose matches can start with ``char``."""
    return tuple((kind, regex) for kind, regex, first in _rules(escapes) if first.match(char))


@lru_cache(maxsize=1)
def _prefix_run() -> re.Pattern:
    """The longest run of characters a [168] PN_PREFIX may hold (PN_CHARS and '.')."""
    return re.compile(f"[{_Compiler(GRAMMAR).compile('PN_CHARS').chars}.]+")


# ---- §19.2 codepoint escapes -------------------------------------------------

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> tuple[str, list[int] | None]:
    """Replace the codepoint escapes of SPARQL 1.1 §19.2 (``\\uXXXX``, ``\\UXXXXXXXX``),
    wherever they are, by their characters.

    Returns:
        ``(decoded, where)``: ``where[i]`` is the offset in ``text`` of
        ``decoded[i]`` (one more entry for the end); ``None`` when ``text``
        has no escape (then ``decoded is text``).

    Raises:
        LexError: an escape names no Unicode scalar value (a surrogate or
            beyond ``U+10FFFF``); ``offset`` is the escape's.
    """
    if "\\u" not in text and "\\U" not in text:
        return text, None
    out: list[str] = []
    where: list[int] = []
    last = 0
    for match in _CODEPOINT.finditer(text):
        code = int(match[1] or match[2], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise LexError(text, match.start(), f"the escape {match[0]} is no Unicode character")
        out.append(text[last:match.start()])
        where.extend(range(last, match.start()))
        out.append(chr(code))
        where.append(match.start())
        last = match.end()
    out.append(text[last:])
    where.extend(range(last, len(text) + 1))
    return "".join(out), where


# ---- the tokenizer -------------------------------------------------------------

def tokenize(query: str, *, escapes: str = BEFORE_TOKENISING) -> list[Token]:
    """The terminals of ``query``, in order (white space and comments dropped).

    Args:
        query: the text of a SPARQL 1.1 query or update.
        escapes: :data:`BEFORE_TOKENISING` (SPARQL 1.1 §19.2: codepoint
            escapes are replaced everywhere first; the default) or
            :data:`IN_LITERALS` (they are read only inside IRIs and strings,
            as ``UCHAR`` — Oxigraph, SPARQL 1.2, Turtle).

    Returns:
        The tokens, longest match first (§19.8). ``start``/``end`` are
        offsets in ``query`` even where escapes were replaced.

    Raises:
        LexError: some text is no terminal (an unknown character, an
            unterminated string or IRI, a word that is no keyword and no
            prefixed name); its message names the line, column and offset.
    """
    if escapes not in (BEFORE_TOKENISING, IN_LITERALS):
        raise ValueError(f"escapes must be {BEFORE_TOKENISING!r} or {IN_LITERALS!r}, not {escapes!r}")
    text, where = decode_escapes(query) if escapes == BEFORE_TOKENISING else (query, None)
    out: list[Token] = []
    pos, size, skip = 0, len(text), _SKIP.match
    # A prefixed name that starts inside a run of PN_PREFIX characters needs a
    # ':' at the run's end, not after a '.': knowing that the run has none
    # keeps "a.a.a.…" linear.
    no_prefix_until = -1
    try:
        while True:
            pos = skip(text, pos).end()
            if pos >= size:
                return out
            kind, end = None, pos
            for rule, regex in _candidates(escapes, text[pos]):
                if rule in ("PNAME_NS", "PNAME_LN") and text[pos] != ":":
                    if pos < no_prefix_until:
                        continue
                    run = _prefix_run().match(text, pos)
                    if run is not None and (text[run.end():run.end() + 1] != ":"
                                            or text[run.end() - 1] == "."):
                        no_prefix_until = run.end()
                        continue
                match = regex.match(text, pos)
                if match is not None and match.end() > end:  # longest match; ties: the first rule
                    kind, end = rule, match.end()
            if kind is None:
                raise LexError(text, pos, _unreadable(text, pos, escapes))
            word = text[pos:end]
            if kind == "KEYWORD" and word.upper() not in KEYWORDS and word != "a":
                raise LexError(text, pos, f"{word!r} is no SPARQL 1.1 keyword (nor a prefixed "
                                          "name, which has a ':')")
            if where is None:
                out.append(Token(kind, word, pos, end))
            else:
                out.append(Token(kind, word, where[pos], where[end]))
            pos = end
    except LexError as exc:
        if where is None:
            raise
        raise LexError(query, where[exc.offset], exc.reason) from None


def _unreadable(text: str, pos: int, escapes: str) -> str:
    char = text[pos]
    if char in "\"'":
        quote = char * 3 if text.startswith(char * 3, pos) else char
        i = pos + len(quote)
        while i < len(text):
            if text.startswith(quote, i):
                break
            if text[i] == "\\":
                allowed = "tbnrf\\\"'" + ("uU" if escapes == IN_LITERALS else "")
                if text[i + 1:i + 2] not in tuple(allowed):
                    return (f"the escape {text[i:i + 2]} in a string is none of "
                            "\\t \\b \\n \\r \\f \\\\ \\\" \\' (SPARQL 1.1 [160] ECHAR)")
                i += 2
                continue
            if text[i] in "\r\n" and len(quote) == 1:
                return f"a string opened by {quote} is not closed before the end of its line"
            i += 1
        return f"a string opened by {quote} is not closed"
    return f"unexpected character {char!r}"


def with_depth(tokens: Iterable[Token]) -> Iterator[tuple[int, Token]]:
    """``(depth, token)`` for each token: how many ``{`` are open before it
    (a ``{`` or ``}`` is at the depth outside it)."""
    depth = 0
    for token in tokens:
        if token.kind == "PUNCT":
            if token.text == "}":
                depth -= 1
            yield depth, token
            if token.text == "{":
                depth += 1
        else:
            yield depth, token


@lru_cache(maxsize=16)
def readings(query: str) -> tuple[tuple[Token, ...], ...]:
    """The tokens of ``query`` as each kind of engine reads its codepoint escapes.

    SPARQL 1.1 (§19.2) replaces ``\\uXXXX`` everywhere before tokenising
    (:data:`BEFORE_TOKENISING`); Oxigraph and SPARQL 1.2 only inside IRIs and
    strings (:data:`IN_LITERALS`). The two differ only when the text has such
    an escape; otherwise there is one reading.

    Returns:
        One token tuple per reading, the SPARQL 1.1 one first.

    Raises:
        LexError: a reading is no sequence of terminals.
    """
    return tuple(tuple(tokenize(query, escapes=escapes)) for escapes in escape_readings(query))


def escape_readings(query: str) -> tuple[str, ...]:
    """The ``escapes`` values under which ``query`` may lex differently: both
    if it has a ``\\u``/``\\U``, else only :data:`BEFORE_TOKENISING`."""
    if "\\u" in query or "\\U" in query:
        return BEFORE_TOKENISING, IN_LITERALS
    return (BEFORE_TOKENISING,)
