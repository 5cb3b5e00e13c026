"""Figures the report's prose states (收到申请N件, 办结N件, 行政复议N件 …), each with its sentence.

Only the first statement of each figure is kept; the checks compare them with
the tables, so a sentence that is misread here shows up as a narrative
warning, never as a changed table figure.
"""

from __future__ import annotations

import re

from gxsite.reading import spam

_N = r"(\d{1,3}(?:,\d{3}){1,3}|\d{1,7})\s*(?:件|个|起|宗|条)"  # bounded: int() of 4,300 digits raises
_PATTERNS = {
    "received": [
        r"(?:共|累计|全年|总计)?(?:收到|受理|新收|接收|接到)[^。;,，]{0,24}?(?:申请|依申请公开)[^。;,，\d]{0,12}?" + _N,
        r"(?:政府信息公开|依申请公开)申请(?:共)?" + _N,
    ],
    "received_natural_person": [r"自然人(?:提出)?(?:申请)?(?:的)?(?:申请)?" + _N],
    "received_legal_person": [r"法人(?:或其他组织|和其他组织)?(?:提出)?(?:申请)?" + _N],
    # not 答复: `同意公开答复9件` is one kind of answer, not every request handled
    "handled": [r"(?:共|累计|已)?(?:办结|办理完毕)[^。;,，\d]{0,8}?" + _N],
    "carried_over": [r"上年(?:度)?结转[^。;,，\d]{0,16}?" + _N],
    "carried_forward": [
        _N + r"[^。;,，\d]{0,4}?(?:结转|承转|转入)(?:到|至)?(?:下一?年|下年度|20\d\d年)",
        r"结转(?:到|至)?(?:下一?年度?|20\d\d年)[^。;,，\d]{0,8}?" + _N,
    ],
    "granted": [r"(?<!不)予以公开" + _N],
    # `予以公开及部分公开42件` is （一）+（二）, not （二）
    "partially_granted": [r"(?<![及和或与、])部分公开" + _N],
    "granted_or_partially_granted": [r"(?<!不)予以公开(?:及|和|或|与|、)部分公开" + _N],
    "reconsideration": [r"行政复议(?:案件|申请)?(?:共)?" + _N],
    "litigation": [r"行政诉讼(?:案件)?(?:共)?" + _N],
}
_COMPILED = {k: [re.compile(p) for p in ps] for k, ps in _PATTERNS.items()}
# Words every match of a key's patterns holds (one of them): a sentence without any is
# not searched (the patterns have no literal start, so a search tries every position).
_WORDS = {
    "received": ("申请",),
    "received_natural_person": ("自然人",),
    "received_legal_person": ("法人",),
    "handled": ("办结", "办理完毕"),
    "carried_over": ("结转",),
    "carried_forward": ("结转", "承转", "转入"),
    "granted": ("予以公开",),
    "partially_granted": ("部分公开",),
    "granted_or_partially_granted": ("部分公开",),
    "reconsideration": ("行政复议",),
    "litigation": ("行政诉讼",),
}
_SEARCHES = [(key, re.compile("|".join(_WORDS[key])), patterns) for key, patterns in _COMPILED.items()]
_ANY_FIGURE = re.compile(r"\d\s*(?:件|个|起|宗|条)")
_SENTENCE_END = re.compile(r"[。;！？!?]")


# Words that tie a request figure to information requests, in the sentence or the one before
# it (`…收到政府信息公开申请2件；上年结转4件。共办结6件`), unless the sentence is about
# something else: 受理…许可申请10690件, 办结…工单3600件, 来信来访, 人大代表建议.
_ABOUT_REQUESTS = re.compile(r"信息公开|依申请|公开申请")
_OTHER_TOPIC = re.compile(r"热线|工单|诉求|信访|来信|来访|许可|建议|提案|审批|投诉")
# A total stated beside a part (`办公室收到…20件，各部门收到55件，全区合计75件`).
_TOTAL = re.compile(r"(?:合计|共计|总计|累计)\s*" + _N)
_REQUEST_KEYS = {"received", "received_natural_person", "received_legal_person", "handled", "granted",
                 "partially_granted", "granted_or_partially_granted", "carried_over", "carried_forward"}
# A sentence that compares with another year states that year's figure too.
_COMPARISON = re.compile(r"与\s*(?:20\d\d\s*年|上年|去年|上一年)|较上年|比上年|较去年|比去年|上年同期")


def figures(lines: list[str]) -> dict:
    """Prose lines → {key: {"value": int, "sentence": str}}: each figure the text states, with the
    first sentence that states it. A figure stated with different values (a department's 20
    beside the whole zone's 75) also carries "others": the text does not say one thing."""
    out: dict = {}
    for line in lines:
        if not _ANY_FIGURE.search(line):
            continue  # no sentence of a line without a figure can have one: most prose lines
        about_requests = False
        for sentence in _sentences(line):
            about_requests = ((bool(_ABOUT_REQUESTS.search(sentence)) or about_requests)
                              and not _OTHER_TOPIC.search(sentence))
            if not _ANY_FIGURE.search(sentence) or _COMPARISON.search(sentence):
                continue
            for key, words, patterns in _SEARCHES:
                if not words.search(sentence) or (key in _REQUEST_KEYS and not about_requests):
                    continue
                for pattern in patterns:
                    values = [int(m.group(1).replace(",", "")) for m in pattern.finditer(sentence)]
                    if values:
                        if key == "received":
                            values += [int(m.group(1).replace(",", "")) for m in _TOTAL.finditer(sentence)]
                        _state(out, key, values, sentence)
                        break
    return out


def _state(out: dict, key: str, values: list[int], sentence: str) -> None:
    entry = out.setdefault(key, {"value": values[0], "sentence": spam.strip(sentence).strip()})
    others = sorted({v for v in values if v != entry["value"]} | set(entry.get("others", [])))
    if others:
        entry["others"] = others


def _sentences(line: str) -> list[str]:
    parts, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        parts.append(line[start:m.end()])
        start = m.end()
    if start < len(line):
        parts.append(line[start:])
    return parts
