"""Checksum and structure validators for the PII patterns in :mod:`.pii`.

A validator gets the ASCII view of the text (one character per character of
the raw text: non-ASCII ones are ``?`` or, for no-break spaces, full-width
digits and the like, their ASCII twin) and a candidate's [start, end),
and returns :class:`Accepted` (possibly with a narrower span or a different
confidence) or None.  Validators only ever see candidates the linear-time
regex engine has already bounded in length and alphabet; the third-party
parsers they call (phonenumbers, python-stdnum, ipaddress) therefore work on
short, shape-checked strings.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import bitcoin, iban, luhn
from stdnum.us import rtn, ssn

__all__ = ["PHONE_REGIONS", "VALIDATORS", "Accepted", "Validator", "warm_up"]


@dataclass(frozen=True, slots=True)
class Accepted:
    """A confirmed candidate; ``confidence`` None keeps the pattern's base value."""

    start: int
    end: int
    confidence: float | None = None


Validator = Callable[[str, int, int], "Accepted | None"]

# Regions tried, in order, for national phone formats (leading trunk 0).
PHONE_REGIONS: tuple[str, ...] = (
    "GB", "DE", "FR", "IT", "NL", "BE", "AT", "CH", "AU", "IN", "JP",
)  # fmt: skip
_PHONE_SEPARATORS = " ().-/"
_DIGITS = frozenset("0123456789")
_IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "avif"})
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_PRIVATE_CONFIDENCE = 0.6


def _email(t: str, s: int, e: int) -> Accepted | None:
    at = t.index("@", s, e)
    while s < at and t[s] in ".-":  # leading punctuation belongs to the prose
        s += 1
    local, domain = t[s:at], t[at + 1 : e]
    if local == "git":  # git@github.com:owner/repo: an SSH login, not a mailbox
        return None
    if not local or len(local) > 64 or ".." in local or local.endswith("."):
        return None
    labels = domain.split(".")
    if len(domain) > 253 or any(not 0 < len(x) < 64 or x[0] == "-" or x[-1] == "-" for x in labels):
        return None
    tld = labels[-1].lower()
    if not (tld.isalpha() and 2 <= len(tld) <= 24 or tld.startswith("xn--")):
        return None
    if tld in _IMAGE_EXTENSIONS:  # logo@2x.png
        return None
    return Accepted(s, e)


def _looks_like_date(value: str) -> bool:
    parts = [p for p in value.replace("/", ".").replace("-", ".").replace(" ", ".").split(".") if p]
    if len(parts) != 3:
        return False
    lens = [len(p) for p in parts]
    return lens in ([2, 2, 4], [1, 2, 4], [2, 1, 4], [1, 1, 4], [4, 2, 2], [2, 2, 2])


def _chunk_ends(t: str, s: int, e: int, tries: int) -> list[int]:
    """Candidate ends: the full span, then with trailing digit groups dropped.

    The phone regexes are greedy, so "+1 415 555 2671 12 items" first gives a
    candidate with a stray group at the end.
    """
    ends = [e]
    k = e
    for _ in range(tries - 1):
        while k > s and t[k - 1] in _DIGITS:
            k -= 1
        while k > s and t[k - 1] in _PHONE_SEPARATORS:
            k -= 1
        if k <= s or t[k - 1] not in _DIGITS:
            break
        ends.append(k)
    return ends


def _digits(value: str) -> str:
    return "".join(c for c in value if c in _DIGITS)


def _plausible(value: str) -> bool:
    return value.count("(") == value.count(")") and not _looks_like_date(value)


# Trailing groups an international candidate may shed: the greedy pattern takes up to 25
# characters, so "+44 20 7946 0958 8.8.8.8" carries four one-digit groups of an address.
_INTL_TRIES = 8


def _phone_international(t: str, s: int, e: int) -> Accepted | None:
    for end in _chunk_ends(t, s, e, _INTL_TRIES):
        value = t[s:end]
        if 8 <= len(_digits(value)) <= 15 and _plausible(value) and _valid_intl(value):
            return Accepted(s, end)
    return None


def _phone_idd00(t: str, s: int, e: int) -> Accepted | None:
    for end in _chunk_ends(t, s, e, _INTL_TRIES):
        value = "+" + t[s + 2 : end]
        if 8 <= len(_digits(value)) <= 15 and _plausible(value) and _valid_intl(value):
            return Accepted(s, end)
    return None


def _valid_intl(value: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


def _valid_nsn(nsn: str, region: str) -> bool:
    """A national significant number valid in ``region`` (no parsing: digits only)."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.general_desc is None:
        return False
    if len(nsn) not in meta.general_desc.possible_length:
        return False
    number = phonenumbers.PhoneNumber(
        country_code=meta.country_code,
        national_number=int(nsn),
        italian_leading_zero=True if nsn[0] == "0" else None,
    )
    return bool(phonenumbers.is_valid_number_for_region(number, region))


def _valid_national(digits: str) -> bool:
    """``digits`` starts with the trunk prefix 0, which Italy keeps in the number."""
    for region in PHONE_REGIONS:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
        keep_zero = meta is not None and meta.national_prefix is None
        if _valid_nsn(digits if keep_zero else digits[1:], region):
            return True
    return False


def _phone_nanp(t: str, s: int, e: int) -> Accepted | None:
    nsn = _digits(t[s:e])
    return Accepted(s, e) if _valid_nsn(nsn, "US") or _valid_nsn(nsn, "CA") else None


def _phone_national(t: str, s: int, e: int) -> Accepted | None:
    for end in _chunk_ends(t, s, e, 2):
        value = t[s:end]
        digits = _digits(value)
        if 9 <= len(digits) <= 12 and _plausible(value) and _valid_national(digits):
            return Accepted(s, end)
    return None


def _iin_ok(d: str) -> bool:
    """Issuer prefix and length of a major card network (ISO/IEC 7812 IIN ranges)."""
    n = len(d)
    if d[0] == "4":
        return n in (13, 16, 19)
    if d[:2] in ("34", "37"):
        return n == 15
    if d[0] == "3":
        return d[:2] in ("30", "35", "36", "38", "39") and 14 <= n <= 19
    if d[0] == "2":
        return 2221 <= int(d[:4]) <= 2720 and n == 16
    return d[0] in "56" and 12 <= n <= 19


def _credit_card(t: str, s: int, e: int) -> Accepted | None:
    # The grouped pattern's optional 3-digit group may be the start of the next value
    # ("4111 1111 1111 1111 536-22-1234"): without it, the card alone is tried too.
    for end in _chunk_ends(t, s, e, 2):
        d = "".join(c for c in t[s:end] if c in _DIGITS)
        if 13 <= len(d) <= 19 and len(set(d)) >= 2 and _iin_ok(d) and luhn.is_valid(d):
            return Accepted(s, end)
    return None


def _ssn(t: str, s: int, e: int) -> Accepted | None:
    return Accepted(s, e) if ssn.is_valid(t[s:e].replace(" ", "")) else None


def _iban(t: str, s: int, e: int) -> Accepted | None:
    end = e
    while end - s >= 15:
        if iban.is_valid(t[s:end]):
            return Accepted(s, end)
        cut = t.rfind(" ", s, end)  # an extra group glued on: "... 0130 00 1234"
        if cut < 0:
            return None
        end = cut
    return None


def _ip_confidence(addr: ipaddress.IPv6Address) -> float | None:
    """None for addresses that identify no one (loopback, unspecified, ...)."""
    if addr.is_loopback or addr.is_unspecified or addr.is_multicast or addr.is_link_local:
        return None
    if addr.is_reserved:  # ::/8 (incl. IPv4-mapped: the IPv4 part is matched on its own)
        return None
    return _PRIVATE_CONFIDENCE if addr.is_private else 0.85


_DOC_NETS_V4 = frozenset({(192, 0, 2), (198, 51, 100), (203, 0, 113)})


def _ipv4(t: str, s: int, e: int) -> Accepted | None:
    # Part of a longer dotted number (1.2.3.4.5, a version string)?
    if s >= 2 and t[s - 1] == "." and t[s - 2] in _DIGITS:
        return None
    if e + 1 < len(t) and t[e] == "." and t[e + 1] in _DIGITS:
        return None
    octets = t[s:e].split(".")
    if any(len(o) > 1 and o[0] == "0" for o in octets):  # 010.1.1.1: octal or a serial
        return None
    a, b, c, d = (int(o) for o in octets)
    if max(a, b, c, d) > 255:
        return None
    # Loopback, "this network", multicast/reserved/broadcast, link-local: identify no one.
    if a in (0, 127) or a >= 224 or (a == 169 and b == 254):
        return None
    private = (
        a == 10
        or (a == 172 and 16 <= b <= 31)
        or (a == 192 and b == 168)
        or (a == 100 and 64 <= b <= 127)  # carrier-grade NAT
        or (a == 198 and b in (18, 19))  # benchmarking
        or (a, b, c) in _DOC_NETS_V4
    )
    return Accepted(s, e, _PRIVATE_CONFIDENCE if private else None)


def _ipv6(t: str, s: int, e: int) -> Accepted | None:
    if e < len(t) and t[e] in ":.":
        return None
    try:
        addr = ipaddress.IPv6Address(t[s:e])
    except ValueError:
        return None
    conf = _ip_confidence(addr)
    return None if conf is None else Accepted(s, e, conf)


def _token_ok(v: str, classes_needed: int) -> bool:
    upper, lower, digit = (any(f(c) for c in v) for f in (str.isupper, str.islower, str.isdigit))
    classes = upper + lower + digit
    if classes < classes_needed or len(set(v)) < 10:
        return False
    run = 1
    for a, b in zip(v, v[1:], strict=False):
        run = run + 1 if a == b else 1
        if run >= 6:
            return False
    return True


def _random_token(t: str, s: int, e: int) -> Accepted | None:
    """Reject placeholders (ghp_xxxx..., all one character class, long runs)."""
    return Accepted(s, e) if _token_ok(t[s:e], 2) else None


def _random_token_mixed(t: str, s: int, e: int) -> Accepted | None:
    """Upper, lower and digits: keeps ``sk-learn-compatible-...`` prose out."""
    return Accepted(s, e) if _token_ok(t[s:e], 3) else None


def _b64url_json(part: str) -> object:
    raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    return json.loads(raw)


def _jwt(t: str, s: int, e: int) -> Accepted | None:
    header = t[s : t.index(".", s, e)]
    if len(header) > 4096:
        return None
    try:
        decoded = _b64url_json(header)
    except (binascii.Error, ValueError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    return Accepted(s, e) if isinstance(decoded, dict) and "alg" in decoded else None


def _url_credentials(t: str, s: int, e: int) -> Accepted | None:
    password = t[t.index(":", s, e) + 1 : e]
    if password[0] in "$<{%":  # ${DB_PASSWORD}, <password>, {{pw}}, %(pw)s: a template
        return None
    return Accepted(s, e)


def _passport(t: str, s: int, e: int) -> Accepted | None:
    v = t[s:e]
    return Accepted(s, e) if sum(c in _DIGITS for c in v) >= 5 and len(set(v)) >= 4 else None


def _uk_nino(t: str, s: int, e: int) -> Accepted | None:
    return None if t[s : s + 2] in _NINO_BAD_PREFIXES else Accepted(s, e)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = frozenset(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december", "sept", *_MONTHS)
)  # fmt: skip


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        day = _dt.date(y, m, d)
    except ValueError:
        return False
    return y >= 1900 and day <= _dt.date.today()


def _date_of_birth(t: str, s: int, e: int) -> Accepted | None:
    v = t[s:e].lower().replace(",", " ").replace(".", " ")
    words = v.replace("/", " ").replace("-", " ").split()
    if all(w.isdigit() for w in words):
        a, b, c = (int(w) for w in words)
        # year first, else day-month-year or month-day-year
        ok = _real_date(a, b, c) if len(words[0]) == 4 else _real_date(c, b, a) or _real_date(c, a, b)
        return Accepted(s, e) if ok else None
    month = next((w for w in words if w in _MONTH_NAMES), None)
    nums = [int(w.rstrip("stndrh")) for w in words if w[0].isdigit()]
    if month is None or len(nums) != 2:
        return None
    day, year = (nums[0], nums[1]) if nums[1] > 31 else (nums[1], nums[0])
    return Accepted(s, e) if _real_date(year, _MONTHS.index(month[:3]) + 1, day) else None


def _aba_routing(t: str, s: int, e: int) -> Accepted | None:
    return Accepted(s, e) if rtn.is_valid(t[s:e]) else None


def _mac_address(t: str, s: int, e: int) -> Accepted | None:
    hexd = "".join(c for c in t[s:e].lower() if c not in ":-.")
    if hexd in ("000000000000", "ffffffffffff"):
        return None
    if "." in t[s:e] and hexd.isdigit():  # 1234.5678.9012 is a number, not a MAC
        return None
    return Accepted(s, e)


def _bitcoin(t: str, s: int, e: int) -> Accepted | None:
    return Accepted(s, e) if bitcoin.is_valid(t[s:e]) else None


def warm_up() -> None:
    """Load data files now, not lazily under the first requests (and threads)."""
    iban.is_valid("DE89370400440532013000")  # reads stdnum's iban.dat
    for region in phonenumbers.SUPPORTED_REGIONS:
        phonenumbers.PhoneMetadata.metadata_for_region(region)
    for code in phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS:
        phonenumbers.PhoneMetadata.metadata_for_nongeo_region(code)


VALIDATORS: dict[str, Validator] = {
    "email": _email,
    "phone_international": _phone_international,
    "phone_idd00": _phone_idd00,
    "phone_nanp": _phone_nanp,
    "phone_national": _phone_national,
    "credit_card": _credit_card,
    "ssn": _ssn,
    "iban": _iban,
    "ipv4": _ipv4,
    "ipv6": _ipv6,
    "random_token": _random_token,
    "random_token_mixed": _random_token_mixed,
    "jwt": _jwt,
    "url_credentials": _url_credentials,
    "passport": _passport,
    "uk_nino": _uk_nino,
    "date_of_birth": _date_of_birth,
    "aba_routing": _aba_routing,
    "mac_address": _mac_address,
    "bitcoin": _bitcoin,
}
