"""PII detector: every type found in several formats, look-alikes not found, spans exact."""

from __future__ import annotations

import base64
import json
import random
import string
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prompt_sentinel.detectors.base import Detector
from prompt_sentinel.detectors.pii import PIIDetector, _resolve
from prompt_sentinel.engine.models import Category, DetectContext, PIIMatch, PreparedText
from prompt_sentinel.patterns.pii import PII_LABELS, PII_PATTERNS, PII_TYPES
from prompt_sentinel.patterns.pii_validators import VALIDATORS


def tok(alphabet: str, n: int, seed: int) -> str:
    """A random-looking token, built at test time so no secret-like literal sits in the repo."""
    rng = random.Random(seed)
    while True:
        s = "".join(rng.choice(alphabet) for _ in range(n))
        if any(c.isdigit() for c in s) and any(c.isupper() for c in s) == any(c.isupper() for c in alphabet):
            return s


B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
HEX = "0123456789abcdef"


def b64url(obj: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


CLAIMS = b64url({"sub": "1234567890"})
JWT = f"{b64url({'alg': 'HS256', 'typ': 'JWT'})}.{CLAIMS}.{tok(B64URL, 43, 1)}"
JWT_NO_ALG = f"{b64url({'typ': 'JWT'})}.{CLAIMS}.{tok(B64URL, 43, 2)}"
PEM_BODY = "\n".join(tok(B62 + "+/", 64, i) for i in range(3))
RSA_KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\nAB==\n-----END RSA PRIVATE KEY-----"
PKCS8_KEY = f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----"
SSH_KEY = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----"
JSON_KEY = "-----BEGIN PRIVATE KEY-----\\n" + PEM_BODY.replace("\n", "\\n") + "\\n-----END PRIVATE KEY-----"
TRUNCATED_KEY = f"-----BEGIN EC PRIVATE KEY-----\n{PEM_BODY}"


@pytest.fixture(scope="module")
def det() -> PIIDetector:
    return PIIDetector()


def found(det: PIIDetector, text: str) -> list[tuple[str, str]]:
    return [(m.pii_type, text[m.start : m.end]) for m in det.find(text)]


# (text, pii_type, the exact value that must be reported)
POSITIVE = [
    # email: plain, plus-tag and sub-domains, upper case, glued to CJK, trailing full stop
    ("Write to john.doe@example.com today", "email", "john.doe@example.com"),
    ("cc: a+tag@mail.example.co.uk", "email", "a+tag@mail.example.co.uk"),
    ("UPPER_case%x@EXAMPLE.ORG", "email", "UPPER_case%x@EXAMPLE.ORG"),
    ("我的邮箱是zhang.wei@example.cn谢谢", "email", "zhang.wei@example.cn"),
    ("Mail me at jane@example.org.", "email", "jane@example.org"),
    # phone, international: US, UK, DE, FR, JP, IN, BR, AU, E.164 without spaces, 00 prefix
    ("call +1 415 555 2671 now", "phone", "+1 415 555 2671"),
    ("office +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
    ("Tel. +49 30 12345678", "phone", "+49 30 12345678"),
    ("tél +33 1 23 45 67 89", "phone", "+33 1 23 45 67 89"),
    ("Tokyo +81 3-1234-5678", "phone", "+81 3-1234-5678"),
    ("mobile +91 98765 43210", "phone", "+91 98765 43210"),
    ("São Paulo +55 11 91234-5678", "phone", "+55 11 91234-5678"),
    ("Sydney +61 2 9876 5432", "phone", "+61 2 9876 5432"),
    ("E.164: +14155552671", "phone", "+14155552671"),
    ("from abroad 0044 20 7946 0958", "phone", "0044 20 7946 0958"),
    # phone, a stray number after it is not part of it
    ("+1 415 555 2671 12 items", "phone", "+1 415 555 2671"),
    # phone, national: NANP in three notations, UK, DE, FR, NL, UK with (0)
    ("(415) 555-2671", "phone", "(415) 555-2671"),
    ("ring 415-555-2671", "phone", "415-555-2671"),
    ("ring 415.555.2671", "phone", "415.555.2671"),
    ("London 020 7946 0958", "phone", "020 7946 0958"),
    ("Berlin 030 12345678", "phone", "030 12345678"),
    ("Paris 01 23 45 67 89", "phone", "01 23 45 67 89"),
    ("bel 06-12345678", "phone", "06-12345678"),
    ("+44 (0)20 7946 0958", "phone", "+44 (0)20 7946 0958"),
    # credit_card: Visa grouped/dashed/plain, Mastercard, Mastercard 2-series, Amex grouped and
    # plain, Discover, JCB, Diners 14 digits
    ("card 4111 1111 1111 1111 exp 12/29", "credit_card", "4111 1111 1111 1111"),
    ("4111-1111-1111-1111", "credit_card", "4111-1111-1111-1111"),
    ("pan=4111111111111111;", "credit_card", "4111111111111111"),
    ("5500 0000 0000 0004", "credit_card", "5500 0000 0000 0004"),
    ("2223 0031 2200 3222", "credit_card", "2223 0031 2200 3222"),
    ("amex 3782 822463 10005", "credit_card", "3782 822463 10005"),
    ("amex 378282246310005", "credit_card", "378282246310005"),
    ("6011 1111 1111 1117", "credit_card", "6011 1111 1111 1117"),
    ("jcb 3530111333300000", "credit_card", "3530111333300000"),
    ("diners 30569309025904", "credit_card", "30569309025904"),
    # ssn: dashed, spaced with keyword, nine digits with keyword
    ("id 536-22-1234", "ssn", "536-22-1234"),
    ("SSN: 536 22 1234", "ssn", "536 22 1234"),
    ("social security number 536221234", "ssn", "536221234"),
    # iban: DE grouped, GB compact and grouped, FR with letters, NL, ES, CH, extra group after
    ("IBAN DE89 3704 0044 0532 0130 00", "iban", "DE89 3704 0044 0532 0130 00"),
    ("GB82WEST12345698765432", "iban", "GB82WEST12345698765432"),
    ("GB82 WEST 1234 5698 7654 32", "iban", "GB82 WEST 1234 5698 7654 32"),
    ("FR14 2004 1010 0505 0001 3M02 606", "iban", "FR14 2004 1010 0505 0001 3M02 606"),
    ("NL91ABNA0417164300", "iban", "NL91ABNA0417164300"),
    ("ES91 2100 0418 4502 0005 1332", "iban", "ES91 2100 0418 4502 0005 1332"),
    ("CH9300762011623852957", "iban", "CH9300762011623852957"),
    ("DE89 3704 0044 0532 0130 00 1234 is it", "iban", "DE89 3704 0044 0532 0130 00"),
    # ip_address: public v4, private v4, "1.2.3.4" (a real public address, so reported), v6
    # compressed, v6 full, v6 with a zone id after it
    ("dns 8.8.8.8", "ip_address", "8.8.8.8"),
    ("host 192.168.1.10:8080", "ip_address", "192.168.1.10"),
    ("try 1.2.3.4", "ip_address", "1.2.3.4"),
    ("v6 2001:4860:4860::8888 ok", "ip_address", "2001:4860:4860::8888"),
    (
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "ip_address",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
    ),
    ("[2606:4700:4700::1111]:443", "ip_address", "2606:4700:4700::1111"),
    # aws_access_key: long-term and temporary
    ("AKIAIOSFODNN7EXAMPLE", "aws_access_key", "AKIAIOSFODNN7EXAMPLE"),
    ("key=ASIAY34FZKBOKMUTVV7A,", "aws_access_key", "ASIAY34FZKBOKMUTVV7A"),
    # api_key: GitHub classic and fine-grained, OpenAI legacy/project, Anthropic, Slack, Stripe
    # secret/restricted/publishable, Google, GitLab, Hugging Face, npm
    (f"token ghp_{tok(B62, 36, 3)}", "api_key", f"ghp_{tok(B62, 36, 3)}"),
    (f"github_pat_{tok(B62 + '_', 82, 4)}", "api_key", f"github_pat_{tok(B62 + '_', 82, 4)}"),
    (f"OPENAI_API_KEY=sk-{tok(B62, 48, 5)}", "api_key", f"sk-{tok(B62, 48, 5)}"),
    (f"sk-proj-{tok(B64URL, 100, 6)}", "api_key", f"sk-proj-{tok(B64URL, 100, 6)}"),
    (
        f"x-api-key: sk-ant-api03-{tok(B64URL, 93, 7)}",
        "api_key",
        f"sk-ant-api03-{tok(B64URL, 93, 7)}",
    ),
    (f"xoxb-1234567890-{tok(B62, 24, 8)}", "api_key", f"xoxb-1234567890-{tok(B62, 24, 8)}"),
    (f"sk_live_{tok(B62, 24, 9)}", "api_key", f"sk_live_{tok(B62, 24, 9)}"),
    (f"rk_live_{tok(B62, 24, 10)}", "api_key", f"rk_live_{tok(B62, 24, 10)}"),
    (f"pk_live_{tok(B62, 24, 11)}", "api_key", f"pk_live_{tok(B62, 24, 11)}"),
    (f"key=AIza{tok(B64URL, 35, 12)}", "api_key", f"AIza{tok(B64URL, 35, 12)}"),
    (f"glpat-{tok(B64URL, 20, 13)}", "api_key", f"glpat-{tok(B64URL, 20, 13)}"),
    (f"hf_{tok(B62, 34, 14)}", "api_key", f"hf_{tok(B62, 34, 14)}"),
    (f"npm_{tok(B62, 36, 15)}", "api_key", f"npm_{tok(B62, 36, 15)}"),
    # jwt: Authorization header
    (f"Authorization: Bearer {JWT}", "jwt", JWT),
    # private_key: PKCS#1, PKCS#8, OpenSSH, JSON-escaped newlines, truncated (no END line)
    (f"key:\n{RSA_KEY}\nthanks", "private_key", RSA_KEY),
    (PKCS8_KEY, "private_key", PKCS8_KEY),
    (SSH_KEY, "private_key", SSH_KEY),
    (f'{{"private_key": "{JSON_KEY}\\n"}}', "private_key", JSON_KEY),
    (TRUNCATED_KEY, "private_key", TRUNCATED_KEY),
    # url_credentials: the user:password part only; empty user; percent-encoded password
    ("postgres://admin:s3cr3t@db.example.com:5432/app", "url_credentials", "admin:s3cr3t"),
    ("redis://:hunter2@cache:6379/0", "url_credentials", ":hunter2"),
    ("https://bob:p%40ss@example.com/x", "url_credentials", "bob:p%40ss"),
    # passport: US/UK digits, German form, French form, CJK keyword, German keyword
    ("Passport number: 123456789", "passport", "123456789"),
    ("passport no. C01X00T47", "passport", "C01X00T47"),
    ("numéro de passeport : 12AB34567", "passport", "12AB34567"),
    ("护照号码：E12345678", "passport", "E12345678"),
    ("Reisepass C01X00T47", "passport", "C01X00T47"),
    # uk_nino: spaced, compact
    ("NI number AB 12 34 56 C", "uk_nino", "AB 12 34 56 C"),
    ("JG103759A", "uk_nino", "JG103759A"),
    # date_of_birth: numeric d/m/y, ISO, English text, German keyword
    ("DOB: 12/03/1985", "date_of_birth", "12/03/1985"),
    ("date of birth 1985-03-12", "date_of_birth", "1985-03-12"),
    ("she was born on March 12, 1985", "date_of_birth", "March 12, 1985"),
    ("born 3rd of March 1985", "date_of_birth", "3rd of March 1985"),
    ("Geburtsdatum: 12.03.1985", "date_of_birth", "12.03.1985"),
    # us_bank_routing: with keyword
    ("routing number 021000021", "us_bank_routing", "021000021"),
    ("ABA: 011000015", "us_bank_routing", "011000015"),
    # mac_address: colon, dash, Cisco dot
    ("mac 00:1A:2B:3C:4D:5E", "mac_address", "00:1A:2B:3C:4D:5E"),
    ("00-1a-2b-3c-4d-5e", "mac_address", "00-1a-2b-3c-4d-5e"),
    ("001a.2b3c.4d5e", "mac_address", "001a.2b3c.4d5e"),
    # crypto_wallet: P2PKH, P2SH, bech32, Ethereum
    (
        "send to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "crypto_wallet",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
    ),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "crypto_wallet", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
    (
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "crypto_wallet",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ),
    (
        "eth 0x52908400098527886E0F7030069857D2E4169EE7",
        "crypto_wallet",
        "0x52908400098527886E0F7030069857D2E4169EE7",
    ),
]


@pytest.mark.parametrize(("text", "pii_type", "value"), POSITIVE)
def test_positive(det: PIIDetector, text: str, pii_type: str, value: str) -> None:
    assert (pii_type, value) in found(det, text)


def test_every_type_has_a_positive_case() -> None:
    assert {t for _, t, _ in POSITIVE} == PII_TYPES


# (text, the PII types that must not be reported in it)
NEGATIVE = [
    # Luhn fails; all zeros passes Luhn but is no card; 13 digits with no issuer prefix
    ("card 4111 1111 1111 1112", {"credit_card"}),
    ("0000 0000 0000 0000", {"credit_card"}),
    ("order 1234567890123", {"credit_card"}),
    # IBAN with a bad checksum; wrong length for the country
    ("DE89 3704 0044 0532 0130 01", {"iban"}),
    ("DE89 3704 0044 0532 0130", {"iban"}),
    # SSN area 000, 666, 9xx; group 00; serial 0000; keywordless nine digits
    ("000-12-3456", {"ssn"}),
    ("666-12-3456", {"ssn"}),
    ("912-12-3456", {"ssn"}),
    ("536-00-1234", {"ssn"}),
    ("536-22-0000", {"ssn"}),
    ("my number is 536221234", {"ssn", "passport", "us_bank_routing"}),
    # versions and non-addresses: five parts, prefixed v, octet > 255, loopback, unspecified,
    # broadcast, link-local, leading zeros, three octets
    ("version 1.2.3.4.5", {"ip_address"}),
    ("release v1.2.3.4", {"ip_address"}),
    ("Chrome 120.0.6099.109", {"ip_address"}),
    ("256.1.1.1", {"ip_address"}),
    ("localhost 127.0.0.1", {"ip_address"}),
    ("bind 0.0.0.0", {"ip_address"}),
    ("255.255.255.255", {"ip_address"}),
    ("169.254.1.1", {"ip_address"}),
    ("010.001.002.003", {"ip_address"}),
    ("192.168.1", {"ip_address"}),
    # IPv6 look-alikes: loopback, link-local, C++ scope, a clock time, a MAC is no IPv6
    ("::1", {"ip_address"}),
    ("fe80::1", {"ip_address"}),
    ("std::cout << a::b;", {"ip_address"}),
    ("at 12:30:45 today", {"ip_address", "mac_address"}),
    ("00:1A:2B:3C:4D:5E", {"ip_address"}),
    # dates, times and order numbers are not phones (or anything)
    ("on 2023-10-12", PII_TYPES),
    ("on 12.10.2023", PII_TYPES),
    ("on 12/10/2023", PII_TYPES),
    ("order #123456789012", PII_TYPES),
    ("call 4155552671", {"phone"}),
    ("+1 000 000 0000", {"phone"}),
    # a 40-hex git SHA, a SHA-256, a UUID are not keys
    ("commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12", PII_TYPES),
    ("sha256 " + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", PII_TYPES),
    ("id 123e4567-e89b-12d3-a456-426614174000", PII_TYPES),
    # "sk-" in prose, placeholders, hyphenated words
    ("use sk-learn-compatible-estimators-for-this", {"api_key"}),
    ("ask-me-anything-please-right-now", {"api_key"}),
    ("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", {"api_key"}),
    ("OPENAI_API_KEY=sk-your-api-key-goes-here-please", {"api_key"}),
    # JWT-shaped, but the header has no "alg"
    (JWT_NO_ALG, {"jwt"}),
    # a public key is not a private key
    (f"-----BEGIN PUBLIC KEY-----\n{PEM_BODY}\n-----END PUBLIC KEY-----", {"private_key"}),
    # URL without a password; templated password
    ("postgres://admin@db.example.com/app", {"url_credentials"}),
    ("postgres://admin:${DB_PASSWORD}@db/app", {"url_credentials"}),
    # context-only types without their keyword; "aba" inside "database" is no keyword
    ("The meeting was on 12/03/1985", {"date_of_birth"}),
    ("ticket 021000021", {"us_bank_routing"}),
    ("the database has 021000021 rows", {"us_bank_routing"}),
    ("document C01X00T47", {"passport"}),
    # NINO with a prefix HMRC never issues; MAC all zeros; bitcoin with a bad checksum
    ("GB123456A", {"uk_nino"}),
    ("00:00:00:00:00:00", {"mac_address"}),
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", {"crypto_wallet"}),
    # e-mail look-alikes: retina image name, no TLD, decorator, SSH remote
    ("logo@2x.png", {"email"}),
    ("root@localhost", {"email"}),
    ("@app.route('/x')", {"email"}),
    ("git clone git@github.com:owner/repo.git", {"email"}),
    # an ISSN is not a national phone number
    ("ISSN 0317-8471", {"phone"}),
]


@pytest.mark.parametrize(("text", "types"), NEGATIVE)
def test_negative(det: PIIDetector, text: str, types: set[str]) -> None:
    assert not {t for t, _ in found(det, text)} & set(types)


def test_plain_prose_has_no_pii(det: PIIDetector) -> None:
    prose = (
        "The quarterly report shows revenue growth in every region. Der Zug nach München "
        "hatte 20 Minuten Verspätung. Version 3.11 was released in 2022; see section 4.2.1."
    )
    assert det.find(prose) == ()


# Spans are str indices into the raw text even after astral characters, CJK and lone surrogates.
SPAN_CASES = [
    # emoji (one code point, four UTF-8 bytes) before the value
    ("😀😀 mail jane@example.org 👍", "jane@example.org"),
    # a ZWJ emoji sequence and combining accents
    ("👩‍👩‍👧 e\u0301te\u0301 4111 1111 1111 1111", "4111 1111 1111 1111"),
    # a lone surrogate (legal in JSON) before the value
    ("\ud800 +44 20 7946 0958", "+44 20 7946 0958"),
    # CJK glued to the value on both sides
    ("联系zhang@example.cn谢谢", "zhang@example.cn"),
    # right-to-left text
    ("رقم البطاقة 5500 0000 0000 0004 شكرا", "5500 0000 0000 0004"),
    # no-break spaces inside a French number: found, span covers the raw characters
    (
        "Tél : +33\u00a01\u00a023\u00a045\u00a067\u00a089.",
        "+33\u00a01\u00a023\u00a045\u00a067\u00a089",
    ),
    # full-width digits and hyphens in Japanese text
    ("電話：０３－１２３４－５６７８です", "０３－１２３４－５６７８"),
    ("電話：＋８１ ３－１２３４－５６７８", "＋８１ ３－１２３４－５６７８"),
    # an en dash between card groups
    ("カード 4111\u20131111\u20131111\u20131111", "4111\u20131111\u20131111\u20131111"),
]


@pytest.mark.parametrize(("text", "value"), SPAN_CASES)
def test_spans_are_str_indices(det: PIIDetector, text: str, value: str) -> None:
    (m,) = det.find(text)
    assert text[m.start : m.end] == value


# Overlapping candidates: the more confident (then longer) match wins.
OVERLAP_CASES = [
    # the e-mail look-alike "s3cr3t@db.example.com" overlaps the URL credentials
    ("postgres://admin:s3cr3t@db.example.com/app", [("url_credentials", "admin:s3cr3t")]),
    # an SSN is not also a phone
    ("536-22-1234", [("ssn", "536-22-1234")]),
    # a card number is not also a national phone number
    ("0 4111 1111 1111 1111", [("credit_card", "4111 1111 1111 1111")]),
    # IPv4-mapped IPv6: the IPv4 part is what identifies the host
    ("::ffff:8.8.8.8", [("ip_address", "8.8.8.8")]),
]


@pytest.mark.parametrize(("text", "expected"), OVERLAP_CASES)
def test_overlaps_resolved(det: PIIDetector, text: str, expected: list[tuple[str, str]]) -> None:
    assert found(det, text) == expected


def test_resolve_prefers_confidence_then_length() -> None:
    cands = [
        PIIMatch("a", 0, 10, 0.6),
        PIIMatch("b", 5, 12, 0.9),  # overlaps a, more confident: wins
        PIIMatch("c", 20, 30, 0.8),
        PIIMatch("d", 22, 25, 0.8),  # inside c, same confidence, shorter: loses
        PIIMatch("e", 30, 31, 0.1),  # touches c without overlapping: kept
    ]
    assert [m.pii_type for m in _resolve(cands)] == ["b", "c", "e"]


def test_detect_result_and_findings(det: PIIDetector) -> None:
    text = "mail a@example.com and b@example.org, card 4111 1111 1111 1111"
    res = det.detect(PreparedText(raw=text, normalised=text.lower()), DetectContext())
    assert isinstance(det, Detector)
    assert res.detector == "pii"
    assert [m.pii_type for m in res.pii] == ["email", "email", "credit_card"]
    assert {f.rule_id for f in res.findings} == {"pii.email", "pii.credit_card"}
    for f in res.findings:
        assert f.category is Category.PII and f.source == "pii" and 0 < f.confidence <= 1
        assert "@" not in f.description and "4111" not in f.description


def test_check_pii_off_gives_empty_result(det: PIIDetector) -> None:
    text = "mail a@example.com"
    res = det.detect(PreparedText(raw=text, normalised=text), DetectContext(check_pii=False))
    assert res.pii == () and res.findings == ()


def test_enabled_types_limit_the_scan() -> None:
    only_email = PIIDetector(enabled_types=frozenset({"email"}))
    assert found(only_email, "a@example.com 4111 1111 1111 1111") == [("email", "a@example.com")]
    assert PIIDetector(enabled_types=frozenset()).find("a@example.com") == ()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"enabled_types": frozenset({"email", "shoe_size"})},  # unknown PII type
        {"engine": "pcre"},  # unknown engine
    ],
)
def test_bad_configuration_fails_loudly(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PIIDetector(**kwargs)  # type: ignore[arg-type]


def test_context_raises_confidence(det: PIIDetector) -> None:
    (plain,) = det.find("536-22-1234")
    (keyed,) = det.find("SSN 536-22-1234")
    assert keyed.confidence > plain.confidence


def test_re2_engine_agrees_with_hyperscan(det: PIIDetector) -> None:
    other = PIIDetector(engine="re2")
    for text, _, _ in POSITIVE:
        assert other.find(text) == det.find(text)


def test_thread_safe(det: PIIDetector) -> None:
    texts = [t for t, _, _ in POSITIVE] * 5
    expected = [det.find(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(det.find, texts)) == expected


def _can_match_question_mark(regex: str) -> bool:
    """Whether ``regex`` (our own pattern, parsed by Python's parser) can match a ``?``.

    The detector scans an ASCII view in which every non-ASCII character is ``?``;
    a pattern that can match ``?`` could run a value into a neighbouring emoji.
    """
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    q = ord("?")
    wide = {c.CATEGORY_NOT_SPACE, c.CATEGORY_NOT_WORD, c.CATEGORY_NOT_DIGIT}

    def in_class(items: list[tuple[object, object]]) -> bool:
        negate = any(op is c.NEGATE for op, _ in items)
        hit = any(
            (op is c.LITERAL and av == q)
            or (op is c.RANGE and av[0] <= q <= av[1])  # type: ignore[index]
            or (op is c.CATEGORY and av in wide)
            for op, av in items
        )
        return hit != negate

    def walk(tree: object) -> bool:
        for op, av in tree:  # type: ignore[attr-defined]
            if op is c.ANY or (op is c.LITERAL and av == q) or (op is c.IN and in_class(av)):
                return True
            children = []
            if op is c.SUBPATTERN:
                children = [av[-1]]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                children = [av[2]]
            elif op is c.BRANCH:
                children = list(av[1])
            if any(walk(ch) for ch in children):
                return True
        return False

    return walk(_parser.parse(regex))


def test_pattern_table_is_consistent() -> None:
    assert set(PII_LABELS) == PII_TYPES
    ids = [p.id for p in PII_PATTERNS]
    assert len(ids) == len(set(ids))
    for p in PII_PATTERNS:
        assert p.validator is None or p.validator in VALIDATORS
        assert 0 < p.confidence <= 1 and p.source
        assert not p.needs_context or p.context
        assert not _can_match_question_mark(p.regex), p.id


def test_question_mark_check_can_fail() -> None:
    assert _can_match_question_mark(r"[^a-z]+") and _can_match_question_mark(r"a.b")
    assert _can_match_question_mark(r"\S+") and not _can_match_question_mark(r"[^\s?]+")


# Inputs that must not raise: empty, lone surrogates, control characters, long emoji runs,
# adversarial repetitions.
ODD_INPUTS = [
    "",
    "\ud800\udfff\ud800",
    "\x00\x01\x1b[31m" * 100,
    "😀" * 50_000,
    "a@" * 5_000,
    "1.1.1.1 " * 1_000,
    "+1 " * 3_000,
    "-----BEGIN PRIVATE KEY-----" * 100,
    "eyJ." * 2_000,
    "::" * 5_000,
]


@pytest.mark.parametrize("text", ODD_INPUTS)
def test_odd_inputs_never_raise(det: PIIDetector, text: str) -> None:
    res = det.detect(PreparedText(raw=text, normalised=text), DetectContext())
    for m in res.pii:
        assert 0 <= m.start < m.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=300))
def test_any_text_gives_ordered_disjoint_spans(text: str) -> None:
    matches = _SHARED.find(text)
    end = 0
    for m in matches:
        assert end <= m.start < m.end <= len(text)
        end = m.end


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([t for t, _, _ in POSITIVE] + ["😀", " ", "\ud800", "x"]), max_size=6))
def test_values_survive_concatenation(parts: list[str]) -> None:
    text = " ".join(parts)
    for m in _SHARED.find(text):
        assert text[m.start : m.end].strip() == text[m.start : m.end]


_SHARED = PIIDetector()
