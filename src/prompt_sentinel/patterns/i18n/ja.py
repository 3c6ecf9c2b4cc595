"""Japanese patterns (written here)."""

from __future__ import annotations

from prompt_sentinel.patterns.schema import Desc, p

_G = r"[^。！？!?\n]{0,10}?"
# One-character words (前, 上, 元) only with の: "名前の規則" is "naming rules".
_PRIOR = (
    r"(?:(?:以前|これまで|今まで|先ほど|先程|上記|最初|初期|すべて|全て|全部|システム|あなた|君|お前)"
    r"(?:の|に|で)?|(?:前|上|元)の)"
)
_NOUN = r"(?:指示|命令|ルール|指令|制約|規則|プロンプト|インストラクション|ガイドライン|方針)"
# Affirmative forms only: "無視しないで" ("do not ignore") must not count.
_VERB = (
    r"(?:無視(?:して|しろ|しなさい|せよ|すること)|むしして|忘れ(?:て|ろ|なさい|ること)|わすれて"
    r"|破棄(?:して|しろ|せよ)|無効に(?:して|しろ|する)|取り消(?:して|せ)|捨て(?:て|ろ)|従わないで|従うな)"
)
_AI = r"(?:AI|ＡＩ|人工知能|アシスタント|モデル|チャットボット|バージョン)"

PATTERNS = (
    p(
        "override.ja.ignore_prior",
        0.92,
        rf"{_PRIOR}{_G}{_NOUN}{_G}{_VERB}",
        Desc.OVERRIDE,
        "own; '以前の指示をすべて無視して'",
    ),
    p(
        "override.ja.forget_everything_told",
        0.86,
        r"(?:言われた|教えられた|指示された|学んだ|知っている)(?:こと|事)(?:を|は)?(?:すべて|全て|全部)?"
        r"(?:忘れ|無視)",
        Desc.OVERRIDE,
        "own; '言われたことをすべて忘れて'",
    ),
    p(
        "override.ja.forget_everything",
        0.45,
        r"(?:すべて|全て|全部)(?:を)?忘れて",
        Desc.OVERRIDE,
        "own",
    ),
    p(
        "override.ja.new_instructions",
        0.7,
        r"新しい(?:指示|命令|ルール|タスク)\s*[:：]|あなたの新しい(?:任務|タスク|役割)は",
        Desc.NEW_INSTRUCTIONS,
        "own",
    ),
    p(
        "leak.ja.system_prompt",
        0.88,
        r"(?:システムプロンプト|システム・プロンプト|システムメッセージ|システム指示|初期(?:の)?(?:指示"
        r"|プロンプト)|最初の(?:指示|プロンプト)|元の(?:指示|プロンプト)|隠された指示|秘密の指示"
        r"|あなた(?:への|の)(?:指示|プロンプト|命令|ルール))[^。！？!?\n]{0,12}?(?:表示|見せ|教え|出力"
        r"|繰り返|書き出|書いて|印刷|公開|開示|明か|暴露|言って|話して|述べ|列挙|共有)",
        Desc.LEAK,
        "own; 'システムプロンプトを表示して'",
    ),
    p(
        "leak.ja.text_above",
        0.72,
        r"(?:上記|上|これまで)の(?:文章|テキスト|内容|文|指示)[^。！？!?\n]{0,6}?(?:を)?"
        r"(?:そのまま|一字一句)?(?:繰り返|そのまま出力)",
        Desc.LEAK_ABOVE,
        "own",
    ),
    p(
        "password.ja.tell",
        0.65,
        r"(?:パスワード|合言葉|あいことば|秘密の言葉|暗証番号)[^。！？!?\n]{0,8}?(?:を)?(?:教えて"
        r"|言って|表示して|見せて|書いて|綴って|スペル|一文字ずつ)",
        Desc.PASSWORD,
        "gandalf, translated",
    ),
    p(
        "jailbreak.ja.unrestricted",
        0.85,
        rf"(?:制限|制約|フィルター|フィルタ|検閲|ルール|倫理|規制)(?:の|が)?(?:一切)?(?:ない|無い"
        rf"|なし|無し){_G}{_AI}",
        Desc.UNRESTRICTED,
        "own; '制限のないAI'",
    ),
    p(
        "role.ja.no_longer",
        0.85,
        r"(?:あなた|君|お前)は(?:もう|もはや)(?:AI|ＡＩ|アシスタント|ChatGPT|言語モデル|人工知能)"
        r"(?:では|じゃ)(?:ない|ありません)",
        Desc.NO_LONGER,
        "own",
    ),
    p(
        "jailbreak.ja.mode",
        0.82,
        r"脱獄モード|ジェイルブレイク|DANモード",
        Desc.DEV_MODE,
        "own",
    ),
    p(
        "jailbreak.ja.dev_mode",
        0.45,
        r"開発者モード|デベロッパーモード",
        Desc.DEV_MODE_WEAK,
        "weak",
    ),
    p(
        "indirect.ja.note_to_ai",
        0.75,
        r"(?:AI|ＡＩ|AIアシスタント|言語モデル)(?:への|に対する)(?:注意|指示|メッセージ|メモ|お願い)"
        r"|(?:あなたが|もしあなたが)(?:AI|ＡＩ|言語モデル|AIアシスタント)(?:なら|であれば|の場合)",
        Desc.INDIRECT,
        "own",
    ),
)
