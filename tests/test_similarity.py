"""Mark similarity: a labelled table of mark pairs, reasons, blocking recall, properties."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.analysis.designations import without_designations
from kg.analysis.rule_blocking import lookup_keys
from kg.analysis.similarity import (
    DEFAULT_MIN_SIMILARITY,
    REASONS,
    MarkSimilarity,
    blocking_keys,
    compare,
    is_similar,
    normalize,
    phonetic_keys,
    recall_of_blocking,
    romanize,
)
from kg.analysis.verbal import verbal_element

MATCH, NO_MATCH = True, False

# (a, b, confusingly similar?, why) — the label is the analyst's judgement, not the code's.
PAIRS: list[tuple[str, str, bool, str]] = [
    # same mark, written differently
    ("AWS", "A.W.S.", MATCH, "punctuation only"),
    ("AWS", "aws", MATCH, "case only"),
    ("i-Pad", "IPAD", MATCH, "case and hyphen"),
    ("Ａｍａｚｏｎ", "amazon", MATCH, "full-width letters"),
    ("Nestlé", "NESTLE", MATCH, "diacritic"),
    ("Häagen-Dazs", "Haagen Dazs", MATCH, "diacritic, hyphen"),
    ("Facebook", "Face Book", MATCH, "space"),
    ("YAHOO!", "Yahoo", MATCH, "exclamation mark"),
    ("Levi's", "LEVIS", MATCH, "apostrophe"),
    ("Walmart", "Wal-Mart", MATCH, "hyphen"),
    # Chinese mark vs its pinyin
    ("特斯拉", "TESILA", MATCH, "pinyin of the mark"),
    ("特斯拉", "Tesla", MATCH, "pinyin TESILA vs TESLA, one letter"),
    ("小米", "XIAOMI", MATCH, "pinyin of the mark"),
    ("华为", "HUAWEI", MATCH, "pinyin of the mark"),
    ("华为", "HUAWAI", MATCH, "pinyin HUAWEI, one letter off"),
    ("亚马逊", "YAMAXUN", MATCH, "pinyin of the mark"),
    ("阿里巴巴", "ALIBABA", MATCH, "pinyin of the mark"),
    ("百度", "BAIDU", MATCH, "pinyin of the mark"),
    ("华为", "华伟", MATCH, "homophone: both read HUAWEI"),
    # small spelling changes
    ("MICROSOFT", "MICROSOFTT", MATCH, "doubled letter"),
    ("GOOGLE", "GOGGLE", MATCH, "one letter"),
    ("Starbucks", "Starbocks", MATCH, "one vowel"),
    ("LENOVO", "LENOVA", MATCH, "last letter"),
    ("ADIDAS", "ABIDAS", MATCH, "one letter"),
    ("SAMSUNG", "SAMSNUG", MATCH, "transposition"),
    ("PlayStation", "PlayStatoin", MATCH, "transposition"),
    ("Instagram", "Instagramm", MATCH, "doubled letter"),
    ("Budweiser", "Budwiser", MATCH, "dropped letter"),
    ("McDonald's", "MacDonalds", MATCH, "added letter, apostrophe"),
    ("Hyundai", "Hundai", MATCH, "dropped letter"),
    ("Toyota", "Toyata", MATCH, "one vowel"),
    # same sound, other spelling
    ("Nike", "Nyke", MATCH, "I/Y sound the same"),
    ("COCA-COLA", "Koka Kola", MATCH, "C/K sound the same"),
    ("KODAK", "CODAC", MATCH, "C/K sound the same"),
    ("Photoshop", "Fotoshop", MATCH, "PH/F sound the same"),
    ("Lyft", "Lift", MATCH, "I/Y sound the same"),
    ("XEROX", "ZEROX", MATCH, "initial X sounds Z"),
    ("Chanel", "Shanel", MATCH, "CH/SH"),
    ("Krispy Kreme", "Crispy Creme", MATCH, "C/K, dropped E"),
    ("Volkswagen", "Folkswagen", MATCH, "V/F"),
    # one character of a short mark changed, the others kept in order (TMM / TMS, CAFC)
    ("AWS", "AWB", MATCH, "3-letter acronym, one letter changed"),
    ("AWS", "AWZ", MATCH, "3-letter acronym, S/Z"),
    ("IBM", "IBN", MATCH, "3-letter acronym, one letter changed"),
    ("BMW", "BMV", MATCH, "3-letter acronym, one letter changed"),
    ("HP", "HB", NO_MATCH, "2-letter mark: one letter is half of it"),
    ("山", "SHANGHAI", NO_MATCH, "pinyin is not searched for Latin words: SHAN"),
    ("上昇", "SHAN", NO_MATCH, "pinyin SHANGSHENG does not contain the word SHAN"),
    ("ONE 33(一)", "一初", NO_MATCH, "a series label's character inside another mark"),
    ("LESS IS MORE及LESS", "KUAGLOBAL及跨", NO_MATCH, "only 及 (and) shared, as pinyin JI"),
    ("KODA", "CODA", MATCH, "4 letters, C/K: the same sound"),
    # an earlier mark contained in a later one
    ("UBER", "UBER EATS", MATCH, "whole earlier mark, one added word"),
    ("NIKE", "NIKE AIR", MATCH, "whole earlier mark, one added word"),
    ("APPLE", "APPLE PAY", MATCH, "whole earlier mark, one added word"),
    ("MONSTER", "MONSTER ENERGY", MATCH, "whole earlier mark, one added word"),
    ("ACME", "ACME GROUP INC", MATCH, "only weak words added"),
    ("불닭", "주식회사 불닭", MATCH, "only a Korean legal form added (ISO 20275: 주식회사)"),
    ("별빛", "별빛 유한회사", MATCH, "only a Korean legal form added (유한회사)"),
    ("CONFIRM", "CONFIRMCELLS", MATCH, "closed up: the earlier mark begins the later"),
    ("DOLPHIN", "POWERDOLPHIN", MATCH, "closed up: the earlier mark ends the later"),
    ("小米", "小米科技", MATCH, "Chinese mark inside a longer one"),
    # a shared first distinctive word, a changed syllable, a beginning
    ("MAGNOLIA BAY", "MAGNOLIA GROVE", MATCH, "shared first distinctive word"),
    ("LUTEX", "LUTEXAL", MATCH, "the earlier mark is the whole beginning"),
    ("Marlboro", "Marlborough", MATCH, "the earlier mark is the whole beginning"),
    ("FANTAZIA", "FANTAZIRA", MATCH, "one added letter in a coined word"),
    # other scripts
    ("ŁADA", "LADA", MATCH, "Polish Ł is an L"),
    ("Ørsted", "Orsted", MATCH, "Danish Ø is an O"),
    ("銀行", "银行", MATCH, "traditional and simplified characters"),
    ("麥當勞", "麦当劳", MATCH, "traditional and simplified characters"),
    ("모나미", "MONAMI", MATCH, "Hangul, romanized"),
    ("ソニー", "SONY", MATCH, "katakana, romanized"),
    ("Москва", "MOSKVA", MATCH, "Cyrillic, romanized"),
    ("亚马逊", "AMAZON", MATCH, "phonetic transcription: the same consonants"),
    ("乔丹", "JORDAN", MATCH, "phonetic transcription: R dropped"),
    ("飞利浦", "PHILIPS", MATCH, "phonetic transcription: final S dropped"),
    ("大众", "DRAGON", NO_MATCH, "a velar G is not the sibilant ZH (DAZHONG)"),
    ("淬鍊", "CLARION", NO_MATCH, "a hard C is not the sibilant C (CUILIAN)"),
    ("杏克醣", "KINGSTON", NO_MATCH, "a velar K is not the sibilant X (XINGKETANG)"),
    ("マクドナルド", "McDonalds", MATCH, "katakana transcription, R/L"),
    # sound-alikes
    ("Quik", "Kwik", MATCH, "QU and KW sound alike"),
    ("SHRINATH", "SHREENATH", MATCH, "EE and I sound alike"),
    # not confusingly similar
    ("AWS", "SWA", NO_MATCH, "3-letter acronym: letters reordered"),
    ("AWS", "AWSX", NO_MATCH, "short mark, one letter added"),
    ("मोती", "माता", NO_MATCH, "Devanagari vowel signs differ: MOTI vs MATA"),
    ("ACME GROUP", "GLOBEX GROUP", NO_MATCH, "only a weak word shared"),
    ("주식회사 별빛", "주식회사 불닭", NO_MATCH, "only a Korean legal form shared"),
    ("합자회사 다온", "합자회사 나래", NO_MATCH, "only a Korean legal form shared"),
    ("THE WIDGET", "THE GADGET", NO_MATCH, "only an article shared"),
    ("EI STUDIO", "ART HA STUDIO", NO_MATCH, "only a trade word shared (TIPO gazette)"),
    ("BAY MAGNOLIA", "MAGNOLIA GROVE", NO_MATCH, "shared word, but not first in both"),
    ("POLO", "DIPOLON", NO_MATCH, "inside a word, neither its beginning nor its end"),
    ("星巴克", "STARBUCKS", MATCH, "the dictionary's meaning (CC-CEDICT): translation"),
    ("APPLE", "AMAZON", NO_MATCH, "different words"),
    ("TESLA", "TEXAS", NO_MATCH, "two letters of five"),
    ("SONY", "SONG", NO_MATCH, "other final sound (-ee/-ng), an ordinary word, 1 of 4 letters"),
    ("NIKE", "NIKON", NO_MATCH, "two letters, other sound"),
    ("APPLE", "MAPLE", NO_MATCH, "other word, other sound"),
    ("PUMA", "PUMP", NO_MATCH, "other word, 1 of 4 letters"),
    ("DELL", "DOLE", NO_MATCH, "other word"),
    ("Amazon", "Amazing", NO_MATCH, "other word"),
    ("KIA", "KIWI", NO_MATCH, "short, other word"),
    ("META", "MATTE", NO_MATCH, "other word"),
    ("ADIDAS", "ADITYA", NO_MATCH, "two letters of six and another sound"),
    ("Oracle", "Miracle", NO_MATCH, "other word"),
    ("Lego", "Logo", NO_MATCH, "other vowel, other sound"),
    ("Corona", "Carina", NO_MATCH, "other vowels, other word"),
    ("小米", "大米", NO_MATCH, "XIAOMI vs DAMI"),
    ("华为", "华夏", NO_MATCH, "HUAWEI vs HUAXIA"),
    ("特斯拉", "TEXAS", NO_MATCH, "TESILA vs TEXAS"),
    ("Honda", "Hyundai", NO_MATCH, "different marks"),
]

# Conflicts an analyst would flag that spelling and sound cannot see. Strict xfail: when
# a change starts catching one, move it into PAIRS.
KNOWN_MISSES = [
    ("腾讯", "TENCENT", "the company's chosen Latin name, not pinyin (TENGXUN)"),
]

# Reasons an analyst will read: pinned for the key pairs.
REASON_OF = {
    ("AWS", "AWS"): "exact",
    ("AWS", "A.W.S."): "folded",
    ("i-Pad", "IPAD"): "folded",
    ("特斯拉", "TESILA"): "transliteration",
    ("特斯拉", "Tesla"): "transliteration",
    ("华为", "HUAWAI"): "transliteration",
    ("小米", "XIAOMI"): "transliteration",
    ("Nike", "Nyke"): "phonetic",
    ("COCA-COLA", "Koka Kola"): "phonetic",
    ("GOOGLE", "GOGGLE"): "fuzzy",
    ("Starbucks", "Starbocks"): "fuzzy",
}


def _ids(pairs: list[tuple[str, str, bool, str]]) -> list[str]:
    return [f"{a}|{b}" for a, b, _, _ in pairs]


@pytest.mark.parametrize(("a", "b", "expected", "why"), PAIRS, ids=_ids(PAIRS))
def test_pair_table(a: str, b: str, expected: bool, why: str) -> None:
    result = compare(a, b)
    assert is_similar(a, b) is expected, f"{a!r} vs {b!r} ({why}): {result}"
    # A pair is similar exactly when compare() can say why.
    assert bool(result.reasons) is expected


def test_recall_and_precision_on_the_table() -> None:
    matches = [(a, b) for a, b, label, _ in PAIRS if label]
    others = [(a, b) for a, b, label, _ in PAIRS if not label]
    found = sum(is_similar(a, b) for a, b in matches)
    rejected = sum(not is_similar(a, b) for a, b in others)
    recall = found / len(matches)
    precision = found / (found + len(others) - rejected)
    with_misses = found / (len(matches) + len(KNOWN_MISSES))
    blocking = recall_of_blocking(matches)
    print(
        f"\nsimilarity table: {len(matches)} match rows, {len(others)} no-match rows; "
        f"recall {recall:.3f} ({with_misses:.3f} counting {len(KNOWN_MISSES)} known misses), "
        f"precision {precision:.3f}, true-negative rate {rejected / len(others):.3f}, "
        f"blocking recall {blocking:.3f}"
    )
    assert len(PAIRS) >= 40
    assert recall >= 0.95
    assert precision >= 0.95
    assert blocking == 1.0


@pytest.mark.parametrize(("a", "b"), list(REASON_OF), ids=[f"{a}|{b}" for a, b in REASON_OF])
def test_best_reason_of_key_pairs(a: str, b: str) -> None:
    assert compare(a, b).best_reason == REASON_OF[a, b]


REASON_OF_RULES = {
    ("UBER", "UBER EATS"): ("containment", "UBER"),
    ("AWS", "AWZ"): ("short", None),
    ("LUTEX", "LUTEXAL"): ("beginning", None),
    ("亚马逊", "AMAZON"): ("sound-transliteration", None),
    ("MAGNOLIA BAY", "MAGNOLIA GROVE"): ("shared-element", None),
    ("Quik", "Kwik"): ("phonetic", None),
}


@pytest.mark.parametrize(
    ("a", "b"), list(REASON_OF_RULES), ids=[f"{a}|{b}" for a, b in REASON_OF_RULES]
)
def test_each_kind_of_miss_names_its_rule(a: str, b: str) -> None:
    reason, _ = REASON_OF_RULES[a, b]
    assert reason in compare(a, b).reasons


@pytest.mark.xfail(strict=True, reason="beyond spelling and sound; see KNOWN_MISSES")
@pytest.mark.parametrize(
    ("a", "b", "why"), KNOWN_MISSES, ids=[f"{a}|{b}" for a, b, _ in KNOWN_MISSES]
)
def test_known_misses(a: str, b: str, why: str) -> None:
    assert is_similar(a, b), why


def test_documented_forms() -> None:
    assert normalize("A.W.S.") == "AWS"
    assert normalize("i-Pad") == "IPAD"
    assert normalize("Ａｍａｚｏｎ") == "AMAZON"
    assert normalize("Nike™") == "NIKE"
    assert romanize("特斯拉") == "TESILA"
    assert romanize("亚马逊") == "YAMAXUN"
    assert romanize("绿") == "LV"  # ü is written V, keeping keys ASCII
    assert phonetic_keys("Nike") & phonetic_keys("Nyke")
    assert compare("特斯拉", "TESILA") == MarkSimilarity(0.93, ("transliteration",))
    assert compare("", "") == MarkSimilarity(1.0, ("exact",))
    assert compare("!!", "??") == MarkSimilarity(0.0, ())


def test_short_marks_allow_one_changed_character_only() -> None:
    assert compare("AWS", "A.W.S.").score >= DEFAULT_MIN_SIMILARITY
    for other in ("AWB", "AWZ", "AXS", "BWS"):
        assert compare("AWS", other).best_reason == "short", other
    for other in ("SWA", "AW", "AWSX", "XAWS", "ABC", "WAS", "WSA", "SAW"):
        assert compare("AWS", other).score < DEFAULT_MIN_SIMILARITY, other
    # three characters: the two after the first swapped (I ZR 161/13, IPS / ISP)
    for a, b in (("IPS", "ISP"), ("AWS", "ASW"), ("TMS", "T.S.M."), ("ABC", "acb")):
        assert compare(a, b).best_reason == "short", (a, b)
        assert blocking_keys(a) & blocking_keys(b), (a, b)
    for a, b in (("WE", "EW"), ("SONY", "SNOY"), ("IPSO", "ISPO")):  # two or four characters
        assert "short" not in compare(a, b).reasons, (a, b)
    # four characters: only a change that keeps the sound (a consonant of one Soundex class)
    assert "short" in compare("KODA", "CODA").reasons
    for a, b in (("SONY", "SONG"), ("PUMA", "PUMP"), ("LEGO", "LOGO"), ("KODA", "RODA")):
        assert compare(a, b).score < DEFAULT_MIN_SIMILARITY, (a, b)


def test_min_similarity_is_a_knob() -> None:
    assert not is_similar("SONY", "SONG")
    assert is_similar("SONY", "SONG", min_similarity=0.75)
    assert not is_similar("AWS", "A.W.S.", min_similarity=0.99)


def test_blocking_recall_on_random_edits() -> None:
    """Pairs that are two to four edits apart still share a key (pigeonhole on affixes)."""
    rng = random.Random(20240601)
    pairs = []
    while len(pairs) < 2000:
        a = "".join(rng.choices(string.ascii_uppercase, k=rng.randint(8, 24)))
        b = a
        for _ in range(rng.randint(2, 4)):
            b = _random_edit(rng, b)
        if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
            pairs.append((a, b))
    recall = recall_of_blocking(pairs)
    print(f"\nblocking recall on {len(pairs)} random 2-4-edit pairs scoring >= 0.8: {recall:.4f}")
    assert recall >= 0.99


def _random_edit(rng: random.Random, text: str) -> str:
    i, letter = rng.randrange(len(text)), rng.choice(string.ascii_uppercase)
    match rng.choice("sidt"):
        case "s":
            return text[:i] + letter + text[i + 1 :]
        case "i":
            return text[:i] + letter + text[i:]
        case "d":
            return text[:i] + text[i + 1 :]
        case _:
            return text[:i] + text[i + 1 : i + 2] + text[i] + text[i + 2 :]


# --- properties -------------------------------------------------------------------------

PROPERTIES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.too_slow],
)

marks = st.one_of(
    st.text(max_size=16),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz .-'&", max_size=16),
    st.text(alphabet="特斯拉华为小米亚马逊阿里巴巴百度", max_size=5),
    st.sampled_from([a for a, _, _, _ in PAIRS] + [b for _, b, _, _ in PAIRS]),
    # Placeholder and descriptor texts (schema/mark-placeholders.csv): tests/test_verbal.py
    st.sampled_from(["設計圖", "標章圖", "Device", "ACME & Design", "ACME", "旺得富及圖"]),
)


@PROPERTIES
@given(marks, marks)
def test_compare_is_symmetric_and_bounded(a: str, b: str) -> None:
    ab, ba = compare(a, b), compare(b, a)
    assert ab.score == ba.score
    assert ab.reasons == ba.reasons
    assert 0.0 <= ab.score <= 1.0
    assert set(ab.reasons) <= set(REASONS)
    assert (ab.score == 1.0) is (a == b and verbal_element(a) is not None)


@PROPERTIES
@given(marks)
def test_a_mark_is_identical_to_itself(a: str) -> None:
    expected = (
        MarkSimilarity(1.0, ("exact",)) if verbal_element(a) is not None else MarkSimilarity(0.0)
    )
    assert compare(a, a) == expected


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    """A mark and a look-alike: case changes, inserted punctuation, or one edit."""
    base = draw(st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=20))
    kind = draw(st.sampled_from(["case", "punctuation", "edit"]))
    if kind == "case":
        flips = draw(st.lists(st.booleans(), min_size=len(base), max_size=len(base)))
        return base, "".join(c.swapcase() if f else c for c, f in zip(base, flips, strict=True))
    if kind == "punctuation":
        out = list(base)
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(out)))
            out.insert(at, draw(st.sampled_from(list(" .-'&!/"))))
        return base, "".join(out)
    seed = draw(st.integers(0, 2**32 - 1))
    return base, _random_edit(random.Random(seed), base)


WORDS = [
    "UBER",
    "EATS",
    "NIKE",
    "AIR",
    "GROUP",
    "INC",
    "MAGNOLIA",
    "BAY",
    "CONFIRM",
    "CELLS",
    "小米",
    "科技",
    "亚马逊",
    "AMAZON",
    "AWS",
    "AWZ",
    "LUTEX",
    "LUTEXAL",
    "THE",
    "茅",
    "金茅",
]


@st.composite
def composites(draw: st.DrawFn) -> str:
    """Marks of one to four words from a small vocabulary (so that rules fire), written
    spaced or closed up."""
    chosen = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    return draw(st.sampled_from([" ", "", "-"])).join(chosen)


@PROPERTIES
@given(composites(), composites())
def test_similar_composites_share_a_blocking_key(a: str, b: str) -> None:
    if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
        assert blocking_keys(a) & blocking_keys(b), (a, b)


@PROPERTIES
@given(variants())
def test_similar_pairs_share_a_blocking_key(pair: tuple[str, str]) -> None:
    a, b = pair
    if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
        assert blocking_keys(a) & blocking_keys(b), (a, b)


@PROPERTIES
@given(marks, marks)
def test_any_similar_pair_shares_a_blocking_key(a: str, b: str) -> None:
    if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
        assert blocking_keys(a) & blocking_keys(b), (a, b)


@PROPERTIES
@given(composites(), composites())
def test_a_question_finds_every_similar_mark(a: str, b: str) -> None:
    """`lookup_keys` narrows a question's keys to the anchors of rule buckets: it must still
    meet every mark `compare` calls similar, both ways."""
    if compare(a, b).score >= DEFAULT_MIN_SIMILARITY:
        assert lookup_keys(blocking_keys(a)) & blocking_keys(b), (a, b)
        assert lookup_keys(blocking_keys(b)) & blocking_keys(a), (b, a)


@PROPERTIES
@given(variants())
def test_case_and_punctuation_variants_are_folded(pair: tuple[str, str]) -> None:
    """Unless a dot made a top-level domain of the end (``ACME.AC``): that is set aside."""
    a, b = pair
    kept = without_designations(a) == a and without_designations(b) == b
    if normalize(a) == normalize(b) and a != b and normalize(a) and kept:
        assert compare(a, b).best_reason == "folded"


@pytest.mark.parametrize(
    ("chinese", "latin", "heard"),
    [
        ("亚马逊", "AMAZON", True),  # X / Z: both hissing
        ("乔丹", "JORDAN", True),  # Q / J
        ("奔驰", "BENZ", True),  # CH / Z
        ("迪士尼", "DISNEY", True),  # SH / S
        ("西门子", "SIEMENS", True),  # X, Z / S, final S
        ("凯迪拉克", "CADILLAC", True),  # K / hard C, K / C
        ("西铁城", "CITIZEN", True),  # X / C before I, CH / Z
        ("大众", "DRAGON", False),  # ZH / velar G
        ("淬鍊", "CLARION", False),  # C (ts) / hard C
        ("杏克醣", "KINGSTON", False),  # X / K
    ],
)
def test_a_transcription_keeps_velars_and_sibilants_apart(
    chinese: str, latin: str, heard: bool
) -> None:
    """Soundex puts G, K, C, S, Z, J, Q, X in one class; a Chinese transcription keeps the
    velar stops (g, k) apart from the hissing and hushing sounds (z, zh, c, ch, s, sh, j, q,
    x), so the sound-transliteration rule does too (大众 DAZHONG is not DRAGON)."""
    from kg.analysis.similarity_rules import sound_transliteration

    found = sound_transliteration(romanize(chinese), romanize(latin), True)
    assert (found is not None) is heard


# A number beside a mark's words is part of what must lie inside the other mark: the
# TIPO gazette's ONE 33 and ONE OR 2 were "contained" in every mark with ONE (2026-12-02).
NUMBERS_KEPT = [
    ("ONE 33", "DAY ONE", False),
    ("ONE OR 2", "ONE WORLD, CONNECTING SMILES.", False),
    ("7 STARS", "DONAU STAR", False),
    ("CARE 3 PLUS", "ROSA HERBAL SKIN CARE", False),
    ("4 SPORTS", "SFR SPORT 4K", False),
    ("GOLDEN 4", "ULKER GOLDEN", False),
    ("NO. 5", "CHANEL NO. 5", False),  # numbers alone: no core to find
    ("ONE 33", "ONE 33 WORLD", True),
    ("ONE 33", "THE ONE 33 CLUB", True),
    ("ONE", "ONE OR 2", True),  # ONE is wholly inside; the 2 is what the other adds
    ("ACME", "ACME 2000", True),
    ("4711", "4711 ECHT KOELNISCH WASSER", True),  # a number of four digits stands alone
]


@pytest.mark.parametrize(
    ("a", "b", "contained"), NUMBERS_KEPT, ids=[f"{a}|{b}" for a, b, _ in NUMBERS_KEPT]
)
def test_a_number_beside_words_must_be_inside_too(a: str, b: str, contained: bool) -> None:
    for left, right in ((a, b), (b, a)):
        assert ("containment" in compare(left, right).reasons) is contained, (left, right)


# Two letters that are no common word (initials: XY, TV) are no element alone but still part
# of the mark a containment must find whole (helper-120: XY YOGA scored 0.85 "containment" in
# PEGGYS YOGA HOUSE); the common two-letter words of seven languages (schema/short-words.csv:
# MY, MI, UN, AL ...) and the listed weak words (CO) are not (helper-122).
SHORT_WORDS_KEPT = [
    ("XY YOGA", "PEGGYS YOGA HOUSE", False),
    ("ZQ GOLF", "GOLF CLUB ROYALE", False),
    ("TV GUIDE", "GUIDE STAR", False),
    ("K SWISS", "SWISS ARMY", True),  # a lone letter: an initial, not part of the core
    ("DR MARTENS", "MARTENS ROYAL HOUSE", True),  # a title (schema/weak-words.csv, helper-125)
    ("XY YOGA", "XY YOGA STUDIO", True),
    ("K SWISS", "K SWISS CLASSIC", True),
    ("GOLF", "ZQ GOLF", True),  # the shorter mark is whole inside; ZQ is what the other adds
    ("MY CAFE", "CAFE ROMA", True),  # MY: a common word
    ("IT GIRL", "GIRL POWER", True),
    ("HUSTLE IS SOLD SEPARATELY", "HUSTLE SOLD SEPARATELY", True),  # a TTAB pair: IS
    ("MI CAFE", "CAFE ROMA", True),  # Spanish, Italian
    ("MA CUISINE", "CUISINE ROYALE", True),  # French
    ("UN JOUR", "JOUR DE FETE", True),
    ("AL FORNO", "FORNO BRAVO", True),
    ("ZU HAUSE", "HAUSE MEDIA", True),  # German
    ("CO HOME", "HOME DEPOT", True),  # a legal form (schema/weak-words.csv)
    ("X.Y. YOGA", "PEGGYS YOGA HOUSE", False),  # initials written apart (helper-123)
    ("X Y YOGA", "PEGGYS YOGA HOUSE", False),
    ("X.Y. YOGA", "XY YOGA STUDIO", True),
    ("X YOGA", "YOGA HOUSE", True),  # a lone letter
]


@pytest.mark.parametrize(
    ("a", "b", "contained"), SHORT_WORDS_KEPT, ids=[f"{a}|{b}" for a, b, _ in SHORT_WORDS_KEPT]
)
def test_a_short_word_beside_words_must_be_inside_too(a: str, b: str, contained: bool) -> None:
    for left, right in ((a, b), (b, a)):
        assert ("containment" in compare(left, right).reasons) is contained, (left, right)


def test_the_short_words_file_is_what_wordfreq_gives() -> None:
    """schema/short-words.csv is generated (`elements.write_short_words`): regenerate it
    when wordfreq or the languages change."""
    from kg.analysis.elements import SHORT_WORDS_FILE, measured_short_words
    from kg.resources import data_rows

    assert list(data_rows(SHORT_WORDS_FILE)) == measured_short_words()


# helper-109 F8: MACH scored 0.83 "containment" against MACHINE-PISTOL: the first letters of
# an ordinary word (MACHINE) are no element of the mark; a whole word or coined start is.
AFFIXES = [
    ("MACH", "MACHINE-PISTOL", False),
    ("MACH", "MACHINEPISTOL", False),
    ("MACH", "MACHINE", False),
    ("CART", "CARTOON", False),
    ("ROCK", "ROCKET", False),
    ("BOND", "VAGABOND", False),  # the end of an ordinary word
    ("LAND", "ISLAND", False),
    ("MACH", "MACH-ONE", True),  # a word of its own there
    ("CONFIRM", "CONFIRMCELLS", True),  # a coined closed-up compound
    ("NIKE", "NIKE-AIR", True),
    ("APPLE", "APPLEPAY", True),
    ("ERASE", "STAIN ERASER", True),  # an inflection of the mark (the Clorox decision)
    ("SPARKLE", "SPARKLES", True),
]


@pytest.mark.parametrize(("a", "b", "contained"), AFFIXES, ids=[f"{a}|{b}" for a, b, _ in AFFIXES])
def test_the_start_of_an_ordinary_word_is_not_contained(a: str, b: str, contained: bool) -> None:
    for left, right in ((a, b), (b, a)):
        assert ("containment" in compare(left, right).reasons) is contained, (left, right)
        assert (compare(left, right).score >= DEFAULT_MIN_SIMILARITY) is contained, (left, right)
