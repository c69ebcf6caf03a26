"""Participants: how many people attended, were trained or took part ("42 frontline officers").

A mention is a number followed by a noun phrase whose head denotes people: a word of the
people lexicon, a multi-word head ("focal points"), a plural demonym, or a plural agent noun
("responders", "animators", "specialists", "trainees") that is not on the list of things with
the same endings ("borders", "sectors", "lists"). Coordinated heads stay one phrase: "22
police, immigration and social welfare officers" is one mention of 22.

A count of people is not always a count of participants: "212 children were identified",
"an estimated 10,000 workers live in the camps" are statistics about the story. The sentence
decides: a statistic cue (identified, rescued, estimated, according to, crossed ...) nearer to
the mention than any activity cue (trained, attended, took part, workshop ...) drops it, and a
large count needs an activity cue nearer than any statistic cue.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from ..provenance import doc_text, provenance
from ..resources import Spec
from .base import ResourceComponent

_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_BRACKETED = re.compile(r"\((\d{1,6})\)")


def parse_number(words: list[str], number_words: dict[str, int]) -> int | None:
    """'2,563' -> 2563; 'Thirty - six' -> 36; 'forty-two' -> 42."""
    text = " ".join(words).replace(" - ", "-").strip()
    if _DIGITS.fullmatch(text):
        return int(text.replace(",", ""))
    total = 0
    for part in re.split(r"[-\s]+", text.lower()):
        if part not in number_words:
            return None
        value = number_words[part]
        total = total * value if value >= 100 and total else total + value  # two million
    return total or None


VOCABULARY = Spec(
    keys={
        "heads": list,
        "multiword_heads": list,
        "number_words": dict,
        "qualifiers": list,
        "modifier_blockers": list,
        "money_before": list,
        "people_suffixes": list,
        "not_people": list,
        "compound_non_people": list,
        "coordinators": list,
        "max_modifiers": int,
        "large_count": int,
        "cue_window": int,
        "activity_cues": list,
        "statistic_cues": list,
        "facilitator_heads": list,
        "facilitation_cues": list,
        "attendance_cues": list,
    }
)


class ParticipantFinder(ResourceComponent):
    specs = {"vocabulary": VOCABULARY}

    def build(self, data: dict) -> None:
        nlp = self.nlp
        v = data["vocabulary"]
        self.number_words = v["number_words"]
        self.qualifiers = sorted(v["qualifiers"], key=len, reverse=True)
        self.money = set(v["money_before"])
        self.heads = {h for h in v["heads"] if " " not in h}
        self.multiword = [tuple(m) for m in v["multiword_heads"]]
        self.blockers = set(v["modifier_blockers"])
        self.suffixes = tuple(v["people_suffixes"])
        self.not_people = set(v["not_people"])
        self.compound_non_people = set(v["compound_non_people"])
        self.coordinators = set(v["coordinators"])
        self.max_modifiers = v["max_modifiers"]
        self.large_count = v["large_count"]
        self.cue_window = v["cue_window"]
        self.facilitators = {tuple(h.split()) for h in v["facilitator_heads"]}
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        for label, key in self._CUE_KEYS.items():
            self.cues.add(label, [nlp.make_doc(c) for c in v[key]])

    _CUE_KEYS = {
        "ACTIVITY": "activity_cues",
        "STATISTIC": "statistic_cues",
        "FACILITATION": "facilitation_cues",
        "ATTENDANCE": "attendance_cues",
    }

    # ------------------------------------------------------------------ words

    def _number_word(self, token: Token) -> bool:
        return bool(_DIGITS.fullmatch(token.text)) or token.lower_ in self.number_words

    def is_person(self, token: Token) -> bool:
        """Does this word denote people (plural or collective)?"""
        word = token.lower_
        if word in self.heads:
            return True
        if word in self.not_people or not token.is_alpha:
            return False
        if token._.is_country and word.endswith("s") and token.text[:1].isupper():
            return True  # a plural demonym: "11 Ukrainians"
        return len(word) >= 5 and word.endswith(self.suffixes)

    def _head_at(self, doc: Doc, last: int, first: int) -> bool:
        """Does the segment doc[first:last + 1] end in a people head?"""
        token = doc[last]
        nxt = doc[last + 1] if last + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in self.compound_non_people:
            return False  # "police stations", "women groups"
        for multi in self.multiword:
            n = len(multi)
            if last - n + 1 >= first and tuple(t.lower_ for t in doc[last - n + 1 : last + 1]) == multi:
                return True
        return self.is_person(token)

    # ------------------------------------------------------------------ the noun phrase

    def _number_end(self, doc: Doc, start: int) -> int:
        """'Forty - seven', 'two hundred', '2,563': the end of the number starting at start."""
        end = start + 1
        while end < len(doc):
            token = doc[end]
            if token.lower_ in self.number_words:
                end += 1
            elif (
                token.text == "-"
                and doc[end - 1].is_alpha
                and not doc[end - 1].whitespace_
                and not token.whitespace_
                and end + 1 < len(doc)
                and doc[end + 1].lower_ in self.number_words
            ):
                end += 2  # "Forty-seven", not "2006 - Twenty"
            else:
                break
        return end

    def _phrase_end(self, doc: Doc, start: int) -> int | None:
        """The end of the people noun phrase that starts at start (after the number): the end of
        the last coordinated segment that ends in a people head; None if there is none."""
        sent_end = doc[start - 1].sent.end if doc.has_annotation("SENT_START") else len(doc)
        best, first, words, i = None, start, 0, start
        while i < sent_end:
            token = doc[i]
            if self._inside_name(doc, i, start, sent_end):
                i += 1  # "three Ministry of Justice officials": "of" inside a name
                continue
            if self._coordinator(token) and i > start and best is None and words:
                first, words = i + 1, 0  # "21 port and Clark-based airport investigators"
                i += 1
                continue
            if token.is_alpha and token.lower_ not in self.blockers and not self._number_word(token):
                words += 1
                if words > self.max_modifiers + 1:
                    break
                if self._head_at(doc, i, first) and not self._continues(doc, i, sent_end):
                    best = i + 1
                    if not (i + 1 < sent_end and self._coordinator(doc[i + 1])):
                        break  # "30 officers attended": the phrase ends at its head
                i += 1
                continue
            hyphen = token.text == "-" and not token.whitespace_
            if hyphen and words and i + 1 < sent_end and doc[i + 1].is_alpha:
                i += 1  # "first-line", "anti-trafficking"
                continue
            if self._coordinator(token) and i > start:
                first, words = i + 1, 0
                i += 1
                continue
            break
        return best

    @staticmethod
    def _inside_name(doc: Doc, i: int, start: int, sent_end: int) -> bool:
        """'of' or 'for' between two capitalised words of a name after the number."""
        return (
            doc[i].lower_ in ("of", "for")
            and i > start
            and i + 1 < sent_end
            and doc[i - 1].is_title
            and doc[i + 1].is_title
        )

    def _coordinator(self, token: Token) -> bool:
        return token.text in self.coordinators or token.lower_ in self.coordinators

    def _continues(self, doc: Doc, i: int, sent_end: int) -> bool:
        """After a head, the phrase goes on only with another people noun ('police officers',
        'staff members') or a hyphen ('youth-led'); anything else ends it at the head."""
        nxt = i + 1
        if nxt >= sent_end:
            return False
        if doc[nxt].text == "-" and not doc[i].whitespace_:
            return True
        return doc[nxt].is_alpha and doc[nxt].lower_ not in self.blockers and self._head_at(doc, nxt, nxt)

    def _after_bracketed(self, doc: Doc, i: int, count: int) -> int:
        """'twenty (20) participants', 'Eight (8) participants': past the bracketed figure
        when it repeats the number; else i."""
        if i + 1 < len(doc) and doc[i].text == "(":
            for end in (i + 2, i + 3):  # "( 8 )" or "( 8)" as the tokenizer cut it
                m = _BRACKETED.fullmatch("".join(t.text for t in doc[i:end]))
                if m and int(m.group(1)) == count:
                    return end
        return i

    # ------------------------------------------------------------------ context

    def _cue_distance(
        self, span: Span, cues: list[tuple[int, int]], lo: int, hi: int, whole_sentence: bool = False
    ) -> int | None:
        """Tokens between the mention and the nearest cue of cues (sorted by start) that lies in
        doc[lo:hi] and within cue_window (anywhere in doc[lo:hi] with whole_sentence); None if
        there is none."""
        window = len(span.doc) if whole_sentence else self.cue_window
        first = bisect_left(cues, (max(lo, span.start - window - 8), 0))
        best = None
        for cs, ce in cues[first:]:
            if cs >= hi or cs > span.end + window:
                break
            if cs < lo or ce > hi or (cs >= span.start and ce <= span.end):
                continue
            distance = max(cs - span.end, span.start - ce, 0)
            if distance <= window and (best is None or distance < best):
                best = distance
        return best

    def _facilitator(self, span: Span) -> bool:
        """Does the phrase end in a head naming those who run an activity ('two experts')?"""
        words = tuple(t.lower_ for t in span[-2:])
        return words in self.facilitators or words[-1:] in self.facilitators

    def is_participation(self, span: Span, count: int, cues: dict[str, list[tuple[int, int]]]) -> bool:
        """Activity evidence against statistic evidence, in the sentence of the mention."""
        if span.doc.has_annotation("SENT_START"):
            sent = span.sent
            lo, hi = sent.start, sent.end
        else:
            lo, hi = 0, len(span.doc)
        if self._facilitator(span):
            # "led and moderated by two experts", "delivering the sessions were ... two experts":
            # they run the activity, unless attending is said nearer ("30 experts attended")
            led = self._cue_distance(span, cues["FACILITATION"], lo, hi, whole_sentence=True)
            attended = self._cue_distance(span, cues["ATTENDANCE"], lo, hi)
            if led is not None and (attended is None or led < attended):
                return False
        activity = self._cue_distance(span, cues["ACTIVITY"], lo, hi)
        statistic = self._cue_distance(span, cues["STATISTIC"], lo, hi)
        if statistic is not None and (activity is None or statistic < activity):
            return False
        return activity is not None or count < self.large_count

    # ------------------------------------------------------------------ the component

    def process(self, doc: Doc) -> Doc:
        date_tokens = {i for span in doc.spans.get("dates", []) for i in range(span.start, span.end)}
        cues: dict[str, list[tuple[int, int]]] = {label: [] for label in self._CUE_KEYS}
        for match_id, start, end in self.cues(doc):
            cues[doc.vocab.strings[match_id]].append((start, end))
        for found in cues.values():
            found.sort()
        spans = []
        i = 0
        while i < len(doc):
            token = doc[i]
            if not self._number_word(token) or (i > 0 and self._number_word(doc[i - 1])):
                i += 1
                continue
            num_end = self._number_end(doc, i)
            start, i = i, num_end
            if start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
                continue  # "COVID-19", "2022-2026"
            if num_end < len(doc) and doc[num_end].text == "-" and not doc[num_end - 1].whitespace_:
                continue  # "three-day", "24-hour", "16-year-old"
            if date_tokens.intersection(range(start, num_end)):
                continue
            if start > 0 and doc[start - 1].text in self.money:
                continue
            if num_end < len(doc) and doc[num_end].lower_ in ("%", "percent"):
                continue
            count = parse_number([t.text for t in doc[start:num_end]], self.number_words)
            if not count:
                continue
            phrase_start = self._after_bracketed(doc, num_end, count)
            end = self._phrase_end(doc, phrase_start)
            if end is None:
                continue
            span = doc[start:end]
            if not self.is_participation(span, count, cues):
                continue
            before = doc_text(doc)[max(0, span.start_char - 20) : span.start_char].lower()
            qualifier = next((q for q in self.qualifiers if before.rstrip().endswith(q)), None)
            span._.tipx_participant = {"count": count, "qualifier": qualifier, **provenance(span)}
            spans.append(span)
        doc.spans["participants"] = spans
        return doc


@Language.factory(
    "tipx_participants",
    default_config={"vocabulary": "participants.json"},
    assigns=["doc.spans", "span._.tipx_participant"],
    requires=["doc.spans", "token._.is_country"],  # dates (a year is never a count); demonyms
)
def make_participants(nlp: Language, name: str, vocabulary: str) -> ParticipantFinder:
    return ParticipantFinder(nlp, name, vocabulary=vocabulary)
