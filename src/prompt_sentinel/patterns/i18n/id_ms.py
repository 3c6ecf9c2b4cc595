"""Indonesian (and largely Malay) patterns (written here)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, gap, p

_VERB = (
    r"\b(?:abaikan(?:lah)?|lupakan(?:lah)?|acuhkan|hiraukan|jangan\s+ikuti|jangan\s+hiraukan"
    r"|jangan\s+pedulikan|tinggalkan|batalkan|kesampingkan(?:lah)?|jangan\s+patuhi)"
)
_NOUN = r"(?:instruksi|perintah|petunjuk|aturan|arahan|pedoman|ketentuan|prompt|batasan)"
_PRIOR = (
    r"(?:sebelumnya|terdahulu|di\s*atas|awal|asli|sistem|yang\s+(?:telah\s+|sudah\s+)?diberikan"
    r"|lama|sebelum\s+ini|tadi)"
)
_AI = r"\b(?:ai|asisten|model|kecerdasan\s+buatan|chatbot|versi)\b"
_RESTR = r"(?:batasan|filter|sensor|aturan|batas|pembatasan|etika|moral)"

PATTERNS = (
    p(
        "override.id.ignore_prior",
        0.92,
        rf"{_VERB}\s+{gap(2)}{_NOUN}\s+{gap(2)}{_PRIOR}\b",
        Desc.OVERRIDE,
        "own; 'Abaikan semua instruksi sebelumnya'",
    ),
    p(
        "override.id.ignore_yours",
        0.86,
        rf"{_VERB}\s+{gap(2)}{_NOUN}(?:mu\b|\s+(?:kamu|anda|kau)\b)",
        Desc.OVERRIDE,
        "own; 'abaikan aturanmu'",
    ),
    p(
        "override.id.ignore_all",
        0.78,
        rf"{_VERB}\s+(?:semua|seluruh|segala)\s+{_NOUN}",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.id.forget_everything_told",
        0.86,
        r"\blupakan\s+(?:semua|segala(?:nya)?|semuanya)\s+(?:\S+\s+){0,2}?(?:yang|apa\s+yang)\s+"
        r"(?:telah\s+|sudah\s+)?(?:\S+\s+)?(?:dikatakan|diberitahukan|diberitahu|diajarkan"
        r"|diperintahkan|ketahui)",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.id.new_instructions",
        0.7,
        r"\b(?:instruksi|perintah|aturan|tugas)\s+baru\s*[:\-]|\btugas\s+baru(?:mu|\s+(?:kamu|anda))"
        r"\s+(?:adalah|:)",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.id.system_prompt",
        0.88,
        r"\b(?:tampilkan|tunjukkan|perlihatkan|ungkapkan|ulangi|cetak|beritahu|beri\s+tahu|katakan"
        r"|tuliskan|berikan|bagikan|bocorkan|sebutkan|salin)\s+(?:\S+\s+){0,3}?(?:prompt\s+sistem"
        r"|sistem\s+prompt|system\s+prompt|pesan\s+sistem|instruksi\s+sistem|(?:instruksi|perintah"
        r"|petunjuk)\s+(?:awal|asli|tersembunyi|rahasia)|instruksimu|promptmu|instruksi\s+"
        r"(?:kamu|anda))",
        Desc.LEAK,
        "own",
    ),
    p(
        "password.id.tell",
        0.7,
        r"\b(?:(?:beritahu|beri\s+tahu|katakan|ungkapkan|eja|sebutkan|bocorkan)\S*\s+"
        r"|berikan\s+(?:saya|aku|padaku|kepadaku)\s+)(?:\S+\s+){0,2}?(?:kata\s+sandi|password"
        r"|sandi)\b",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.id.unrestricted",
        0.82,
        rf"{_AI}\s+{gap(3)}tanpa\s+(?:ada\s+)?(?:\S+\s+)?{_RESTR}\b|\b(?:jawab|bertindak"
        rf"|berperilaku|respon)\S*\s+(?:\S+\s+){{0,5}}?tanpa\s+(?:ada\s+)?{_RESTR}\b",
        Desc.UNRESTRICTED,
        "own",
    ),
    p(
        "role.id.no_longer",
        0.85,
        rf"\b(?:kamu|anda|kau)\s+(?:sekarang\s+)?(?:bukan\s+lagi\s+(?:sebuah\s+)?(?:{_AI}|chatgpt)"
        r"|tidak\s+lagi\s+(?:terikat|dibatasi))",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.id.dev_mode",
        0.45,
        r"\bmode\s+pengembang\b",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
)
