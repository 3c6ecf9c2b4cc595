"""PII patterns as data.

Each :class:`PIIPattern` finds *candidates*; a named validator (see
:mod:`prompt_sentinel.patterns.pii_validators`) then confirms them with a
checksum or a structural check.  Regexes are written for RE2 and hyperscan
alike (no look-arounds, no back-references, no lazy quantifiers that matter)
and run on an ASCII view of the text in which every non-ASCII character is
one ``?`` byte, so byte offsets are str indices.  Character classes here
therefore never contain ``?``: a non-ASCII character always ends a candidate.

When a pattern has a capture group, group 1 is the value (the rest is
anchoring context, e.g. the scheme of a URL).  ``context`` words are looked
for, case-insensitively, in the raw text up to :data:`CONTEXT_WINDOW`
characters before the candidate: required when ``needs_context`` is set,
otherwise they raise the confidence by :data:`CONTEXT_BOOST`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONTEXT_BOOST",
    "CONTEXT_WINDOW",
    "PII_LABELS",
    "PII_PATTERNS",
    "PII_TYPES",
    "PIIPattern",
]

CONTEXT_WINDOW = 48
CONTEXT_BOOST = 0.1


@dataclass(frozen=True, slots=True)
class PIIPattern:
    """One way to spot one PII type."""

    id: str
    pii_type: str
    regex: str
    confidence: float
    validator: str | None
    source: str
    context: tuple[str, ...] = ()
    needs_context: bool = False


_PASSPORT_WORDS = (
    "passport", "passeport", "reisepass", "pasaporte", "passaporto", "paspoort",
    "paszport", "паспорт", "护照", "旅券", "パスポート", "여권",
)  # fmt: skip
_DOB_WORDS = (
    "dob", "d.o.b", "date of birth", "birth date", "birthdate", "birthday", "born",
    "geburtsdatum", "geboren", "né le", "née le", "date de naissance",
    "fecha de nacimiento", "nacido", "data di nascita", "出生", "生年月日",
)  # fmt: skip
_SSN_WORDS = ("ssn", "social security", "soc sec", "ss#", "ss #")
_ROUTING_WORDS = ("routing", "aba", "rtn", "transit number", "bank code")
_NINO_WORDS = ("national insurance", "nino", "ni number", "ni no")
_PHONE_WORDS = ("phone", "tel", "mobile", "cell", "call", "fax", "whatsapp", "telefon", "téléphone")

_HEX = "[0-9A-Fa-f]"
_MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_B64URL = "[A-Za-z0-9_-]"

PII_PATTERNS: tuple[PIIPattern, ...] = (
    # --- email ---------------------------------------------------------
    PIIPattern(
        "email", "email",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
        0.9, "email", "RFC 5322 dot-atom, ASCII subset (presidio EmailRecognizer idea)",
    ),
    # --- phone: validated with phonenumbers ------------------------------
    PIIPattern(
        "phone.international", "phone",
        r"\+[1-9][0-9 ().-]{5,22}[0-9]",
        0.85, "phone_international", "E.164 / ITU-T E.123 international form",
        context=_PHONE_WORDS,
    ),
    PIIPattern(
        "phone.idd00", "phone",
        r"\b00[1-9][0-9 ().-]{5,22}[0-9]",
        0.7, "phone_idd00", "international form with the 00 dialling prefix",
        context=_PHONE_WORDS,
    ),
    PIIPattern(
        "phone.nanp", "phone",
        r"(?:\([2-9][0-9]{2}\) ?|\b[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}\b",
        0.75, "phone_nanp", "North American Numbering Plan with separators",
        context=_PHONE_WORDS,
    ),
    PIIPattern(
        "phone.national", "phone",
        r"(?:\(0[1-9][0-9]{0,3}\) ?|\b0[1-9][0-9]{0,3}[ /.-])[0-9]{2,8}(?:[ .-][0-9]{2,4}){0,3}\b",
        0.65, "phone_national", "national trunk-prefix forms (UK, DE, FR, IT, NL, ...)",
        context=_PHONE_WORDS,
    ),
    # --- payment cards: Luhn + issuer prefix -----------------------------
    PIIPattern(
        "credit_card.grouped", "credit_card",
        r"\b[0-9]{4}(?:[ -][0-9]{4}){3}(?:[ -][0-9]{3})?\b",
        0.95, "credit_card", "ISO/IEC 7812 PAN in 4-digit groups, Luhn",
    ),
    PIIPattern(
        "credit_card.amex", "credit_card",
        r"\b[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5}\b",
        0.95, "credit_card", "Amex / Diners 4-6-5 and 4-6-4 grouping, Luhn",
    ),
    PIIPattern(
        "credit_card.plain", "credit_card",
        r"\b[0-9]{13,19}\b",
        0.85, "credit_card", "ISO/IEC 7812 PAN without separators, Luhn + IIN",
    ),
    # --- US SSN ------------------------------------------------------------
    PIIPattern(
        "ssn.dashed", "ssn",
        r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b",
        0.85, "ssn", "SSA number format, invalid areas/groups/serials excluded",
        context=_SSN_WORDS,
    ),
    PIIPattern(
        "ssn.spaced", "ssn",
        r"\b[0-9]{3} [0-9]{2} [0-9]{4}\b",
        0.7, "ssn", "SSA number with spaces",
        context=_SSN_WORDS,
    ),
    PIIPattern(
        "ssn.plain", "ssn",
        r"\b[0-9]{9}\b",
        0.75, "ssn", "nine digits next to an SSN keyword",
        context=_SSN_WORDS, needs_context=True,
    ),
    # --- IBAN --------------------------------------------------------------
    PIIPattern(
        "iban", "iban",
        r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b",
        0.95, "iban", "ISO 13616, mod-97 and per-country length (python-stdnum)",
    ),
    # --- IP addresses --------------------------------------------------------
    PIIPattern(
        "ip_address.v4", "ip_address",
        r"\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b",
        0.85, "ipv4", "dotted quad, octets 0-255, loopback/unspecified excluded",
    ),
    PIIPattern(
        "ip_address.v6", "ip_address",
        rf"(?:{_HEX}{{0,4}}:){{2,7}}(?:{_HEX}{{1,4}}|[0-9]{{1,3}}(?:\.[0-9]{{1,3}}){{3}})?",
        0.85, "ipv6", "RFC 4291 text forms incl. :: compression and embedded IPv4",
    ),
    # --- cloud credentials and API keys --------------------------------------
    PIIPattern(
        "aws_access_key", "aws_access_key",
        r"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}\b",
        0.95, None, "AWS access key id (gitleaks aws-access-token)",
    ),
    PIIPattern(
        "api_key.github", "api_key",
        r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
        0.95, "random_token", "GitHub token prefixes (GitHub docs, 2021 format)",
    ),
    PIIPattern(
        "api_key.github_pat", "api_key",
        r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b",
        0.95, "random_token", "GitHub fine-grained personal access token",
    ),
    PIIPattern(
        "api_key.anthropic", "api_key",
        rf"\bsk-ant-[a-z]{{3,8}}[0-9]{{2}}-{_B64URL}{{20,}}",
        0.95, "random_token_mixed", "Anthropic API/admin key (sk-ant-api03-, sk-ant-admin01-)",
    ),
    PIIPattern(
        "api_key.openai", "api_key",
        rf"\bsk-(?:proj-|svcacct-|admin-)?{_B64URL}{{20,}}",
        0.9, "random_token_mixed", "OpenAI secret key (sk-, sk-proj-, sk-svcacct-)",
    ),
    PIIPattern(
        "api_key.slack", "api_key",
        r"\bxox[abeoprs]-[0-9A-Za-z-]{10,}",
        0.95, "random_token", "Slack bot/user/app tokens (gitleaks slack-*)",
    ),
    PIIPattern(
        "api_key.slack_webhook", "api_key",
        r"https://hooks\.slack\.com/(?:services|workflows)/[A-Za-z0-9_/+-]{20,}",
        0.9, None, "Slack incoming webhook URL",
    ),
    PIIPattern(
        "api_key.stripe", "api_key",
        r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}|\bpk_live_[0-9A-Za-z]{16,}",
        0.95, "random_token", "Stripe secret, restricted and live publishable keys",
    ),
    PIIPattern(
        "api_key.google", "api_key",
        rf"\bAIza{_B64URL}{{35}}",
        0.9, "random_token_mixed", "Google API key (AIza + 35)",
    ),
    PIIPattern(
        "api_key.gitlab", "api_key",
        rf"\bgl(?:pat|dt|ptt|rt)-{_B64URL}{{20,}}",
        0.95, "random_token", "GitLab personal/deploy/trigger/runner tokens",
    ),
    PIIPattern(
        "api_key.huggingface", "api_key",
        r"\bhf_[A-Za-z0-9]{30,}\b",
        0.9, "random_token", "Hugging Face user access token",
    ),
    PIIPattern(
        "api_key.npm_pypi", "api_key",
        rf"\bnpm_[A-Za-z0-9]{{36}}\b|\bpypi-AgEIcHlwaS5vcmc{_B64URL}{{50,}}",
        0.95, "random_token", "npm and PyPI upload tokens",
    ),
    PIIPattern(
        "api_key.sendgrid", "api_key",
        rf"\bSG\.{_B64URL}{{22}}\.{_B64URL}{{43}}",
        0.95, None, "SendGrid API key",
    ),
    PIIPattern(
        "api_key.misc", "api_key",
        r"\b(?:do[opr]_v1_[a-f0-9]{64}|shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}|dapi[a-f0-9]{32}"
        r"|gsk_[A-Za-z0-9]{48,}|xai-[A-Za-z0-9]{70,}|r8_[A-Za-z0-9]{37})\b",
        0.9, "random_token", "DigitalOcean, Shopify, Databricks, Groq, xAI, Replicate",
    ),
    # --- tokens and key material ----------------------------------------------
    PIIPattern(
        "jwt", "jwt",
        rf"\beyJ{_B64URL}{{8,}}\.{_B64URL}{{8,}}\.{_B64URL}*",
        0.95, "jwt", "RFC 7519 compact JWS; header must decode to JSON with alg",
    ),
    PIIPattern(
        "private_key.block", "private_key",
        r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\\]*[A-Za-z0-9+/=:,\\-]+)*?[\s\\]*"
        r"-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----",
        0.99, None, "RFC 7468 PEM block (PKCS#1/#8, OpenSSH, PGP)",
    ),
    PIIPattern(
        "private_key.truncated", "private_key",
        r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?:[\s\\]*[A-Za-z0-9+/=]{16,})+",
        0.95, None, "PEM private-key header followed by base64 lines, END missing",
    ),
    PIIPattern(
        "url_credentials", "url_credentials",
        r"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://([^\s:@/?#\"'<>]*:[^\s@/?#\"'<>]+)@[A-Za-z0-9\[]",
        0.95, "url_credentials", "RFC 3986 userinfo with a password (span: user:password)",
    ),
    # --- identity documents (context required) ---------------------------------
    PIIPattern(
        "passport", "passport",
        r"\b(?:[A-Z]{1,2}[0-9]{6,8}|[0-9]{2}[A-Z]{2}[0-9]{5}|[0-9]{8,9})\b",
        0.8, "passport", "ICAO 9303 document numbers (US, UK, FR, IN, CN, CA forms)",
        context=_PASSPORT_WORDS, needs_context=True,
    ),
    PIIPattern(
        # Its own pattern: in one alternation with the above, hyperscan compiles 50x slower.
        "passport.de", "passport",
        r"\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\b",
        0.8, "passport", "German passport number alphabet (no vowels, no B D Q S)",
        context=_PASSPORT_WORDS, needs_context=True,
    ),
    PIIPattern(
        "uk_nino", "uk_nino",
        r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D]\b",
        0.65, "uk_nino", "HMRC NIM39110 prefix rules (product codes share the shape)",
        context=_NINO_WORDS,
    ),
    PIIPattern(
        "date_of_birth.numeric", "date_of_birth",
        r"\b(?:[0-9]{1,2}[./-][0-9]{1,2}[./-](?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}[./-][0-9]{1,2}[./-][0-9]{1,2})\b",
        0.8, "date_of_birth", "numeric dates next to a birth keyword",
        context=_DOB_WORDS, needs_context=True,
    ),
    PIIPattern(
        "date_of_birth.text", "date_of_birth",
        rf"(?i)\b(?:[0-9]{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}[a-z]*\.?,? (?:19|20)[0-9]{{2}}"
        rf"|{_MONTH}[a-z]*\.? [0-9]{{1,2}}(?:st|nd|rd|th)?,? (?:19|20)[0-9]{{2}})\b",
        0.8, "date_of_birth", "English month-name dates next to a birth keyword",
        context=_DOB_WORDS, needs_context=True,
    ),
    PIIPattern(
        "us_bank_routing", "us_bank_routing",
        r"\b[0-9]{9}\b",
        0.8, "aba_routing", "ABA routing transit number checksum, keyword required",
        context=_ROUTING_WORDS, needs_context=True,
    ),
    PIIPattern(
        "mac_address", "mac_address",
        rf"\b{_HEX}{{2}}(?::{_HEX}{{2}}){{5}}\b|\b{_HEX}{{2}}(?:-{_HEX}{{2}}){{5}}\b"
        rf"|\b{_HEX}{{4}}\.{_HEX}{{4}}\.{_HEX}{{4}}\b",
        0.7, "mac_address", "IEEE 802 MAC-48 in colon, dash and Cisco dot forms",
    ),
    PIIPattern(
        "crypto_wallet.bitcoin", "crypto_wallet",
        r"\b(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})\b",
        0.9, "bitcoin", "Bitcoin base58check (P2PKH/P2SH) and bech32 (python-stdnum)",
    ),
    PIIPattern(
        "crypto_wallet.ethereum", "crypto_wallet",
        r"\b0x[0-9a-fA-F]{40}\b",
        0.7, None, "Ethereum address (EIP-55 checksum not verified: no keccak in stdlib)",
    ),
)  # fmt: skip

PII_TYPES: frozenset[str] = frozenset(p.pii_type for p in PII_PATTERNS)

# Fixed, value-free names for finding descriptions.
PII_LABELS: dict[str, str] = {
    "email": "Email address",
    "phone": "Phone number",
    "credit_card": "Payment card number",
    "ssn": "US Social Security number",
    "iban": "IBAN",
    "ip_address": "IP address",
    "aws_access_key": "AWS access key id",
    "api_key": "API key or access token",
    "jwt": "JSON Web Token",
    "private_key": "Private key",
    "url_credentials": "Credentials in a URL",
    "passport": "Passport number",
    "uk_nino": "UK National Insurance number",
    "date_of_birth": "Date of birth",
    "us_bank_routing": "US bank routing number",
    "mac_address": "MAC address",
    "crypto_wallet": "Cryptocurrency wallet address",
}
