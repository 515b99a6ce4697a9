"""Why each number of an abstract was kept or dropped: ``explain()`` returns plain data,
``human_text()`` renders it (``claimboard extract --explain``, ``--json`` for the data).

    "in 2014"          -> dropped, rule "year"
    "up to 4x faster"  -> kept, rule "unit"; metric speed read from "faster"
    "41.2 mAP"         -> kept, rule "metric near"; metric map read from "mAP"
"""
from .. import vocab
from .claim import Abstract, extract_from
from .metric import metric_mentions

# The fields of a kept number, in the order they are shown
SHOWN = ("unit", "scale", "type", "metric", "dataset", "method", "baseline", "qualifier")


def explain(title, abstract):
    """One dict per number the rules were asked about, in order: the number as written,
    kept or not, the deciding rule, and for kept numbers each field's value with the
    words of the sentence it was read from (None where the value is not written there:
    a default, or carried over from elsewhere).

    >>> [(e["number"], e["kept"], e["rule"]) for e in explain("X", "Since 2014, X is up to 4x faster.")]
    [('2014', False, 'year'), ('4x', True, 'unit')]
    """
    doc = Abstract(title, abstract)
    doc.trace = []
    extract_from(doc)
    out = []
    for number, kept, rule, claim in doc.trace:
        lo, hi = next(span for span in doc.spans if span[0] <= number.start < span[1])
        entry = {"number": abstract[number.start:number.end], "value": number.value,
                 "value_max": number.value_max, "start": number.start,
                 "end": number.end, "context": context(abstract, number.start, number.end, lo, hi),
                 "kept": kept, "rule": rule, "sentence": abstract[lo:hi]}
        if claim is not None:
            entry["fields"] = {f: {"value": getattr(claim, f), "words": _words(doc, claim, number, f, lo, hi)}
                               for f in SHOWN if getattr(claim, f) is not None}
        out.append(entry)
    return out


CONTEXT = 20  # characters each side: a few words, enough to tell which "3" of a sentence is meant


def context(text, start, end, lo, hi):
    """The number in brackets with a few words of its sentence (``lo``:``hi``) around it,
    cut at word boundaries; "…" marks a cut.

    >>> t = "We use ResNet-34 and train it for long."
    >>> context(t, 14, 15, 0, len(t))
    'We use ResNet-[3]4 and train it for…'
    """
    left = max(lo, start - CONTEXT)
    if left > lo:
        left = text.find(" ", left, start) + 1 or start  # from the first whole word
    right = min(hi, end + CONTEXT)
    if right < hi:
        right = text.rfind(" ", end, right) if text.rfind(" ", end, right) > end else end
    words = f"{text[left:start]}[{text[start:end]}]{text[end:right]}"
    words = " ".join(words.split())
    return ("…" if left > lo else "") + words + ("…" if right < hi else "")


def _words(doc, claim, number, field, lo, hi):
    """The words of the sentence a field's value stands in: the number itself for its unit
    and scale, the metric name as written, else the value's nearest occurrence."""
    text = doc.text
    if field in ("unit", "scale"):
        return text[number.start:number.end]
    if field == "metric":
        written = [m for m in metric_mentions(text, lo, hi) if m[2] == claim.metric]
        if written:
            start, end = min(written, key=lambda m: abs(m[0] - number.start))[:2]
            return text[start:end]
    if field in ("type", "qualifier"):
        return claim.text  # the claim's words hold the change and qualifier words it states
    value = vocab.ascii_lower(str(getattr(claim, field))).split("; ")[0]  # the first of several datasets
    at = list(_find_all(vocab.ascii_lower(text[lo:hi]), value))
    if not at:
        return None
    i = min(at, key=lambda i: abs(lo + i - number.start))
    return text[lo + i:lo + i + len(value)]


def _find_all(haystack, needle):
    at = haystack.find(needle)
    while at >= 0 and needle:
        yield at
        at = haystack.find(needle, at + 1)


def human_text(title, explained):
    """One paper's explanation as lines of text."""
    lines = [f"# {title}"]
    for e in explained:
        verdict = "kept   " if e["kept"] else "dropped"
        lines.append(f"  {e['number']!r:>14} {verdict} by {e['rule']!r}  at {e['start']}: {e['context']}")
        for field, read in e.get("fields", {}).items():
            words = f"from {read['words']!r}" if read["words"] is not None else "(not in the sentence: title, default or carried over)"
            lines.append(f"  {'':>14}   {field:<9} = {read['value']!r} {words}")
    return "\n".join(lines)
