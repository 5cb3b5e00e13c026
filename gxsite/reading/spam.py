"""SEO spam injected into hacked report pages: detection and stripping.

Hacked government pages carry gambling and gossip-site names, sometimes in
place of words of the report itself (`政府信息公开` → `51吃瓜网`, the agency's
name → `利博官网`). The words below do not belong in a government report; a
run of them, with the `_ # : -` glue the injections use, is removed as a whole.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from gxsite.reading.normalize import NFKC_RUN

# Gambling / gossip brands and vocabulary seen in hacked government pages.
# Kept to terms with no legitimate use in these reports: 彩票, 赌博, 博彩 alone,
# e-mail domains and place names (金沙县, 太阳城社区) appear in real reports, and a
# false alarm here accuses a publisher of having been hacked.
_CORES = [
    r"\d*吃瓜(?:官网|网|群众)?",
    r"\d*黑料(?:正能量|官网|网|不打烊)?",
    r"利博(?:官网)?",
    r"(?<![A-Za-z])bet\d+(?:体育)?(?:投注)?|bet(?:体育|投注)+",
    r"\d*(?:欧洲杯|世界杯)在哪(?:里)?投注",
    r"\d{4}(?:欧洲杯|世界杯)(?:投注|下注|竞猜)",
    r"体育投注",
    r"(?:足球|篮球|网上|在线)投注(?:网|平台|官网)",
    r"博彩(?:网|官网|平台)",
    r"真人(?:视讯|娱乐|荷官)|电子(?:视讯|荷官)",
    r"娱乐城|娱乐(?:官网|网址)",
    # gambling games are also named in police reports (打击六合彩): spam only as a site or an app
    r"(?:百家乐|老虎机|六合彩|时时彩|北京赛车|幸运飞艇|棋牌)(?:官网|网址|平台|app|APP|下载)",
    r"(?:澳门|新)葡京|威尼斯人(?:官网|娱乐)|永利(?:皇宫|官网)|金沙(?:娱乐|官网)|皇冠(?:体育|官网|足球)",
    r"(?:开云|亚博|华体会|乐鱼|必威|威廉希尔|天博|米乐|九游|爱游戏|半岛|星空|美高梅)(?:体育|官网|娱乐|app|APP)",
    r"(?:体育|娱乐)(?:官网|app|APP)(?:下载|入口)?",
    r"官网(?:入口|下载|登录)",
]
_CORE = "(?:" + "|".join(_CORES) + ")"
_GLUE = r"[_#:：\-—|·•\t \u3000]*"  # never a line break: spam is stripped from whole texts
# A run of spam cores with the glue between and around them.
SPAM_RUN = re.compile(_GLUE.replace("*", "{0,2}") + _CORE + "(?:" + _GLUE + _CORE + ")*" + r"[_#:：\-—|·•]*[ \t]?", re.IGNORECASE)


# Cheap first look: every core above contains one of these; most texts contain none.
# (case-insensitive matching is slow on long Chinese texts: the Latin word is spelled out,
# and starts with a literal letter: when every alternative starts with a literal, re skips
# ahead to the possible first characters, ~10x faster on a whole report)
_TRIGGER = re.compile(r"吃瓜|黑料|利博|b[Ee][Tt]|B[Ee][Tt]|投注|欧洲杯|世界杯|博彩|视讯|荷官|娱乐|百家乐|老虎机|六合彩|时时彩|赛车|飞艇"
                      r"|棋牌|葡京|威尼斯人|永利|金沙|皇冠|体育|官网")


_FULLWIDTH = re.compile(r"[\uff10-\uff5a]")


_TRIGGER_CHARACTERS = frozenset(ch for ch in _TRIGGER.pattern if ch not in "|[]")


@functools.lru_cache(maxsize=4096)
def _may_become_trigger(ch: str) -> bool:
    return not _TRIGGER_CHARACTERS.isdisjoint(unicodedata.normalize("NFKD", ch))


def might_contain(text: str) -> bool:
    """Whether a text (in any width form) could hold spam at all: one look at the whole document."""
    if _TRIGGER.search(text):
        return True
    # full-width Latin (ｂｅｔ３６) only matches after NFKC; most texts have none
    if not _FULLWIDTH.search(text):
        return False
    # NFKC can only make a trigger word out of a character whose compatibility
    # decomposition holds a trigger character (ｂ → b, ⽠ → 瓜); ASCII, CJK and the common
    # Chinese punctuation are left as they are (normalize.NFKC_RUN finds the rest).
    # Full-width digits and punctuation decompose to none, so most texts need no second
    # look at all.
    if not any(_may_become_trigger(ch) for ch in set("".join(NFKC_RUN.findall(text)))):
        return False
    # NFKC never joins characters across a line break and no trigger word holds one, so
    # only the lines NFKC would change need the second look (NFKC of a whole report was
    # 0.7 ms of its ~9 ms; the quick check of a line is nearly free).
    return any(_TRIGGER.search(unicodedata.normalize("NFKC", line))
               for line in text.split("\n") if not unicodedata.is_normalized("NFKC", line))


def find(text: str) -> list[re.Match]:
    if not _TRIGGER.search(text):
        return []
    return [m for m in SPAM_RUN.finditer(text) if m.group().strip(" \t_#:：-—|·•")]


def contains(text: str) -> bool:
    return bool(find(text))


def strip(text: str) -> str:
    """The text with every spam run removed (surrounding words are kept)."""
    if not text or not _TRIGGER.search(text):
        return text
    return SPAM_RUN.sub(lambda m: "" if m.group().strip(" \t_#:：-—|·•") else m.group(), text)


def unchanged(text: str) -> str:
    return text


def stripper(text: str, maybe_spam: bool | None = None):
    """strip for a document that may hold spam; a no-op (unchanged) for the (many) that cannot.
    `maybe_spam`: might_contain(text), when the caller already knows it."""
    if maybe_spam is None:
        maybe_spam = might_contain(text)
    return strip if maybe_spam else unchanged


# Markup in a *text* report: a government report's text holds no HTML elements,
# event handlers or script links, so their presence means something was injected.
# (HTML pages are not judged by this: their own scripts and links are page furniture.)
_MARKUP = re.compile(r"<\s*/?\s*(?:script|iframe|img|object|embed|svg|form|a|meta|link|style)\b[^>]{0,200}>?"
                     r"|\bon[a-z]{3,20}\s*=|javascript\s*:|\{\{.{0,80}?\}\}|\{%.{0,80}?%\}", re.IGNORECASE)


def injected_markup(text: str) -> str | None:
    """The first piece of markup found in a text report, or None."""
    # Every alternative needs one of these characters (none is a letter, so IGNORECASE
    # adds no variant); most reports have none, and `\bon` makes the full search slow.
    if not any(ch in text for ch in "<{=:"):
        return None
    match = _MARKUP.search(text)
    return match.group()[:200] if match else None
