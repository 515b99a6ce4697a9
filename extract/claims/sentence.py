"""Step 2: sentences, lists of numbers, and the clause and distances inside a sentence.

    "We win. It is 2.5x faster, e.g. here."    -> two sentences ("e.g." ends none)
    "79.1%, 81.2% and 83.0%", "0.25/0.28 FID"   -> one list each
    "4.8x latency and 79% energy"               -> "energy" is far from 4.8x (behind "and")
"""
import re

import regex

SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z(\[])")  # the standard re finds these fastest
ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "cf.", "Fig.", "Eq.")  # no sentence ends there
ABBREVIATION = regex.compile(r"\b(?:%s)$" % "|".join(map(regex.escape, ABBREVIATIONS)))


def sentences(text):
    """(start, end) of each sentence.

    >>> [text[a:b] for text in ["We win. It is 2.5x faster, e.g. here."] for a, b in sentences(text)]
    ['We win.', 'It is 2.5x faster, e.g. here.']
    """
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        end = m.start() + 1
        if not (text.endswith(ABBREVIATIONS, 0, end) and ABBREVIATION.search(text, max(0, end - 8), end)):
            spans.append((start, end))
            start = m.end()
    spans.append((start, len(text)))
    return spans


LIST_GLUE = regex.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|/|\s+vs\.?\s+|,?\s+respectively,?\s+)\s*$")


def groups(text, nums):
    """Split numbers into lists: neighbours joined only by commas, "and", "/" or "vs"."""
    out, current = [], []
    for n in nums:
        if current and LIST_GLUE.match(text[current[-1].end:n.start]) and n.start - current[-1].end < 12:
            current.append(n)
        else:
            if current:
                out.append(current)
            current = [n]
    if current:
        out.append(current)
    return out

SEPARATOR = regex.compile(r",\s|\s(?:and|or|while|but|whereas)\s|;")


def distance(text, number, start, end):
    """How far a word is from a number, in characters: words after the number count a
    little nearer ("95.4% top-1 accuracy"), words behind a comma or an "and" much farther
    ("4.8x latency and 79% energy": energy belongs to 79%)."""
    if end <= number.start:
        gap, between = number.start - end, (end, number.start)
    else:
        gap, between = (start - number.end) * 0.8, (number.end, start)
    if SEPARATOR.search(text, *between):
        gap += 60
    return gap

CLAUSE_START = regex.compile(r"[;:]\s|,\s(?:while|whereas|but|which|and\s+(?:it|we))\b")
CLAUSE_END = regex.compile(r"[;:]\s|,\s(?:while|whereas|but|which)\b|\.\s"
                           r"|\s(?:with|without)\s+(?:a\s+)?(?:negligible|minimal|no|little|marginal|minor|slight)\b")


def clause(text, number, lo, hi):
    """Bounds around a number inside its sentence, stopping at ;, : and other numbers' clauses."""
    left = max(lo, number.start - 70)
    for m in CLAUSE_START.finditer(text, left, number.start):
        left = m.end()
    right = min(hi, number.end + 70)
    m = CLAUSE_END.search(text, number.end, right)
    if m:
        right = m.start()
    return left, right


RESPECTIVELY = regex.compile(r",?\s+respectively\b")  # "91% and 88% F1 and recall, respectively": pairwise
