"""Sentence analysis with spaCy's real English pipeline, and the closed word classes.

The sentences are written for these tests (no article text), so what passes here is general.
"""

from __future__ import annotations

import pytest

from qa.index.sentences import split_sentences
from qa.language.analysis import SentenceAnalysis
from qa.language.lexicon import bound_of, country_of, currency_words, number_value, reporting_verbs, same_place
from qa.language.nlp import SpacyAnalyser


@pytest.fixture(scope="module")
def analyser() -> SpacyAnalyser:
    return SpacyAnalyser()


def analyse(analyser: SpacyAnalyser, text: str) -> tuple[str, list[SentenceAnalysis]]:
    spans = [(s.start, s.end) for s in split_sentences(text)]
    return text, analyser.analyse(text, spans)


def test_figures_carry_the_noun_they_count_and_their_qualifier(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "Officials said more than 40 villages and 12 schools lost power on Friday.")
    figures = {f.unit: f for f in a.figures}
    assert figures["village"].value == 40 and figures["village"].text == "more than 40 villages"
    assert figures["school"].value == 12 and figures["school"].text == "12 schools"
    assert all(text[f.start:f.end] == f.text for f in a.figures)


def test_a_figure_keeps_the_noun_it_is_the_amount_of(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "The nurses want a bonus of 7 percent on basic pay. "
                                    "The board has offered 3 percent. The total bill was 12 million euros.")
    assert [(f.text, f.measures) for a in analyses for f in a.figures] == [
        ("7 percent", "bonus"), ("3 percent", ""), ("12 million euros", "bill")]
    row = analyses[0].to_json()
    assert SentenceAnalysis.from_json(row).figures[0].measures == "bonus"


def test_a_figure_a_verb_values_something_at_is_its_amount(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "Auditors put the cost of the bridge at 80 million euros. "
                                    "The club estimates attendance at around 4,200. "
                                    "Volunteers counted birds at six lakes.")
    assert [(f.text, f.measures) for a in analyses for f in a.figures] == [
        ("80 million euros", "cost"), ("around 4,200", "attendance"), ("six lakes", "")]


def test_bound_qualifiers_say_which_way_a_figure_bounds() -> None:
    assert [bound_of(t) for t in ("more than 30 nations", "at least 5", "up to 3,000 euros",
                                  "fewer than ten", "around 30", "30 nations")] == ["+", "+", "-", "-", "", ""]


def test_number_words_and_money_are_figures(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "The council will spend 4 million euros on twenty-five new buses.")
    values = {f.unit: f.value for f in a.figures}
    assert values.get("bus") == 25


def test_speaker_of_a_reporting_verb_and_what_was_said(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "Mayor Lena Ortiz stressed that the tunnel would open before the winter.")
    (said,) = a.attributions
    assert said.speaker == "Lena Ortiz" and said.verb == "stress"
    assert text[said.start:said.end].startswith("that the tunnel would open")


def test_a_pronoun_speaker_is_the_person_named_before(analyser: SpacyAnalyser) -> None:
    text, analyses = analyse(
        analyser, "Engineer Tomas Berg inspected the dam on Monday. \u201cThe cracks are old,\u201d he added.")
    said = analyses[1].attributions[0]
    assert said.speaker == "Tomas Berg" and said.verb == "add"
    assert "The cracks are old" in text[said.start:said.end]


def test_a_subject_pronoun_keeps_its_person_when_another_is_named(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(
        analyser, "Ana Ruiz said the talks had stalled. She regretted that Marco Bell had left the room. "
                  "She added that she would try again next week.")
    assert analyses[2].attributions[0].speaker == "Ana Ruiz"  # not the last person named, Marco Bell


def test_first_person_sentences_after_reported_words_go_on_with_them(analyser: SpacyAnalyser) -> None:
    text, analyses = analyse(
        analyser, "Mayor Ana Ruiz spoke at the depot. Asked about the buses, she said: We cannot wait any longer. "
                  "Our drivers need new vehicles. The depot will close in May.\n"
                  "We will see what happens.")
    said, more, third, other = (a.attributions for a in analyses[1:])
    assert said[0].speaker.endswith("Ana Ruiz") and more[0].speaker == said[0].speaker
    assert text[more[0].start:more[0].end] == "Our drivers need new vehicles."
    assert third == ()  # not in the first person: the report's own words again
    assert other == ()  # a new paragraph after a sentence that quotes no one


def test_a_quotation_under_any_verb_of_a_named_person_is_theirs(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(
        analyser, "The union leader, Mara Holt, branded the offer \u201can insult to every driver\u201d.")
    (said,) = a.attributions
    assert said.speaker == "Mara Holt" and said.verb == "brand"
    assert "an insult to every driver" in text[said.start:said.end]
    _, (b,) = analyse(analyser, 'The fans waved banners reading \u201cGo home\u201d.')
    assert b.attributions == ()  # nobody named says it


def test_a_passive_reporting_verb_is_spoken_by_its_agent(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(
        analyser, "The port authority firmly rejects any delay to the works, as stated by its director Lena Ortiz.")
    (said,) = a.attributions
    assert said.speaker == "Lena Ortiz" and said.verb == "state"
    assert text[said.start:said.end] == "The port authority firmly rejects any delay to the works"
    text, (b,) = analyse(analyser, "The new timetable was announced by the transport minister on Monday.")
    (said,) = b.attributions
    assert said.speaker.endswith("minister") and text[said.start:said.end] == "The new timetable"


def test_according_to_names_the_source(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "According to the port authority, 300 ships were delayed.")
    (said,) = [x for x in a.attributions if x.verb == "according to"]
    assert "port authority" in said.speaker
    assert text[said.start:said.end] == "300 ships were delayed"


def test_a_reporting_verb_inside_quotation_marks_reports_nothing(analyser: SpacyAnalyser) -> None:
    text, analyses = analyse(
        analyser, 'The levee held, engineer Mira Tallis told the inquiry. "The trouble was that the county had '
                  'no one on site who could tell them how fast the river was rising."')
    (said,) = analyses[1].attributions  # not "no one ... could tell them"
    assert said.speaker == "Mira Tallis" and said.verb == "quote"
    assert text[said.start:said.end].startswith('"The trouble was')


def test_a_quotation_split_into_sentences_is_outside_its_speakers_verb(analyser: SpacyAnalyser) -> None:
    text, analyses = analyse(
        analyser, '"Rivers always rise in spring. We warned them about it," Tallis told reporters on Friday.')
    said = analyses[-1].attributions
    assert [a.speaker for a in said] == ["Tallis"]  # "We warned them" is inside her words


def test_a_time_of_day_written_as_one_word_is_a_time(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "The pumps failed at about 4.15am on Tuesday and again at 11pm.")
    times = [text[e.start:e.end] for e in a.entities if e.label == "TIME"]
    assert times == ["4.15am", "11pm"]
    assert not [f for f in a.figures if f.value in (4.15, 11)]


def test_a_speaker_the_recogniser_missed_is_a_person(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "Dame Prudence Tarn, who chairs the panel, called the cuts \u201ca false saving "
                                   "of the worst kind\u201d, noting that the repairs would have cost a fraction of "
                                   "the bill.")
    people = [e for e in a.entities if e.label == "PERSON"]
    assert [text[e.start:e.end] for e in people] == ["Dame Prudence Tarn"]
    assert "chair" in people[0].descriptors
    _, (b,) = analyse(analyser, "HFT, the city's ferry company, suspended all crossings and said the boats would be "
                                "checked.")
    assert not [e for e in b.entities if e.label == "PERSON"]  # an acronym is a body more often than a person


def test_a_sentence_that_reports_nobody_has_no_speaker(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "The storm underscores the fragility of the coastal roads.")
    assert a.attributions == ()


def test_a_dateline_is_not_part_of_the_sentence_body(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "PORTVALE, May 4 \u2014 The ferry service resumed after a week.")
    assert text[a.body_start:].startswith("The ferry service")
    _, (b,) = analyse(analyser, "The ferry service resumed after a week.")
    assert b.body_start == b.start


def test_analysis_round_trips_through_json(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "Ana Silva said that 15 workers, two engineers and a nurse were hired in March.")
    assert a.enumerations and SentenceAnalysis.from_json(a.to_json()) == a


def test_countries_demonyms_and_codes_come_from_countryinfo() -> None:
    assert same_place("Lithuanian", "Lithuania") and same_place("Spanish", "Spain")
    assert same_place("UK", "United Kingdom") and same_place("British", "Great Britain")
    assert country_of("uk") is None  # a code matches only as written, in capitals
    assert not same_place("Lithuanian", "Latvia")


def test_a_demonym_several_countries_share_is_the_most_populous_ones() -> None:
    # countryinfo gives "Indian" to India and the British Indian Ocean Territory, "American" to
    # the United States and the Northern Mariana Islands
    assert same_place("Indian", "India") and same_place("American", "United States")
    assert same_place("Dominican", "Dominican Republic") and same_place("U.S.", "American")
    assert not same_place("Indian", "British Indian Ocean Territory")


def test_world_regions_and_their_adjectives_are_places_too() -> None:
    # countryinfo's regions and subregions, and the adjectives formed from them
    assert same_place("European", "Europe") and same_place("Asian", "Asia")
    assert same_place("Sub-Saharan African", "Sub-Saharan Africa") and same_place("Polynesian", "Polynesia")
    assert not same_place("European", "France") and not same_place("European", "Asia")
    assert same_place("American", "United States")  # a country's form stays the country's


def test_reporting_verbs_are_a_general_closed_class() -> None:
    verbs = reporting_verbs()
    assert {"say", "stress", "concede", "insist", "warn"} <= verbs
    assert "run" not in verbs


@pytest.mark.parametrize(("word", "value"), [("26", 26), ("1,200", 1200), ("twenty", 20), ("twenty-six", 26),
                                             ("dozen", 12), ("two hundred", 200), ("budget", None)])
def test_number_values(word: str, value: float | None) -> None:
    assert number_value(word) == value


def test_names_carry_their_titles_and_appositions(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "Paula Neri, the chief engineer of the port, inspected the quay. "
                                    "The contract went to the Danish firm Vester Marine.")
    described = {e.text: e.descriptors for a in analyses for e in a.entities}
    assert {"chief", "engineer", "port"} <= set(described["Paula Neri"])
    assert "firm" in described["Vester Marine"]


def test_a_name_keeps_the_nouns_that_say_what_it_is(analyser: SpacyAnalyser) -> None:
    """Its title or apposition, not the words that qualify them or a relative clause."""
    _, analyses = analyse(analyser, "Judge Ilse Varga heard the case. "
                                    "Tomas Reiner, the retired engineer who led the court campaign, watched. "
                                    "The contract went to the Danish firm Vester Marine.")
    heads = {e.text: e.heads for a in analyses for e in a.entities}
    assert heads["Ilse Varga"] == ("judge",)
    assert heads["Tomas Reiner"] == ("engineer",)
    assert heads["Vester Marine"] == ("firm",)


def test_a_name_keeps_the_preposition_it_is_the_object_of(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "The rally was held outside Brellmoor Technical College. "
                                    "Guests came from Torvik Holdings. Ilse Varga spoke.")
    prepositions = {e.text: e.preposition for a in analyses for e in a.entities}
    assert prepositions == {"Brellmoor Technical College": "outside", "Torvik Holdings": "from", "Ilse Varga": ""}


def test_a_name_ends_before_its_possessive(analyser: SpacyAnalyser) -> None:
    """The parse takes the possessive into some names ("Harlow Police’s"); the name is kept
    without it, still a verbatim span of the text."""
    text, analyses = analyse(analyser, "Ivo Brandt, who leads Harlow Police’s fraud unit, said so.")
    names = {e.text: (e.label, text[e.start:e.end]) for a in analyses for e in a.entities}
    assert names["Harlow Police"] == ("ORG", "Harlow Police")
    assert not any(n.endswith(("’s", "'s")) for n in names)


def test_a_relative_clause_after_a_name_describes_it(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "Ivo Brandt, who chairs the harbour board, opened the quay. "
                                    "The engineers who built the quay left.")
    described = {e.text: e.descriptors for a in analyses for e in a.entities}
    assert {"chair", "harbour", "board"} <= set(described["Ivo Brandt"])


def test_a_speaker_is_described_as_the_document_describes_them(analyser: SpacyAnalyser) -> None:
    _, analyses = analyse(analyser, "Mayor Lena Ortiz opened the depot on Monday. "
                                    "Later, Ortiz said the buses would be electric by 2030.")
    (said,) = analyses[1].attributions
    assert said.speaker == "Ortiz" and "mayor" in said.roles


def test_a_speaker_keeps_the_words_of_the_phrase_that_names_them(analyser: SpacyAnalyser) -> None:
    # the parse hangs the name on "report", so the name's own descriptions miss "auditor-general"
    _, analyses = analyse(analyser, 'The 60-page report, signed by the county\'s auditor-general, Mira Tallis, '
                                    'concludes that the county "built a large and complex levee without the in-house '
                                    'skills needed to run it". Tallis said the county had been lucky.')
    (said,) = analyses[1].attributions
    assert said.speaker == "Tallis" and {"auditor", "general"} <= set(said.roles)


def test_durations_are_figures_and_calendar_dates_are_not(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "Work will take 16 weeks from March 22.")
    assert [(f.value, f.unit) for f in a.figures] == [(16, "week")]


def test_a_one_word_person_the_document_uses_as_a_place_is_a_place(analyser: SpacyAnalyser) -> None:
    """The small model calls this invented town a person in every sentence; its dateline, "in
    Torvaldsen" and "Helsinki and Torvaldsen" show it is a place. Moreau, named alike but used
    as a person, stays a person."""
    text = ("TORVALDSEN, May 5 \u2014 Torvaldsen's new tram line opened on Monday, the mayor said. "
            "Moreau, who arrived in Torvaldsen on Wednesday, said it was too early to tell. "
            "He has looked into accidents in Helsinki and Torvaldsen.")
    raw = [(e.label_, e.text) for e in analyser.parse(text).ents]
    assert ("PERSON", "Torvaldsen") in raw  # what the parse alone says
    _, sentences = analyse(analyser, text)
    labels = {(e.label, e.text) for s in sentences for e in s.entities}
    assert {label for label, name in labels if name.startswith("Torvaldsen")} == {"GPE"}
    assert ("PERSON", "Moreau") in labels


def test_a_one_word_person_named_in_full_elsewhere_stays_a_person(analyser: SpacyAnalyser) -> None:
    text = ("Anna Torvaldsen opened the line on Monday. "
            "Critics in Helsinki and Torvaldsen said the mayor had paid too much.")
    _, sentences = analyse(analyser, text)
    people = [e.text for s in sentences for e in s.entities if e.label == "PERSON"]
    assert "Anna Torvaldsen" in people


def test_currency_names_come_from_cldr() -> None:
    words = currency_words()
    assert {"euro", "euros", "dollar", "kronor", "rupees", "yen"} <= words
    assert not {"block", "vote", "passenger"} & words


def test_a_figure_after_every_is_an_interval(analyser: SpacyAnalyser) -> None:
    _, sentences = analyse(analyser, "Trains leave every 20 minutes; the trip takes 50 minutes.")
    figures = {f.text: f.interval for s in sentences for f in s.figures}
    assert figures == {"20 minutes": True, "50 minutes": False}


def test_words_after_a_colon_are_the_speakers(analyser: SpacyAnalyser) -> None:
    text, analyses = analyse(
        analyser, "Mayor Ana Ruiz spoke at the depot. We will not tell Marco Bell's company our plans. "
                  "She added: Whatever the weather, the buses will run in May.")
    (said,) = analyses[2].attributions
    assert said.speaker.endswith("Ana Ruiz")  # "we" kept her the one "she" refers to, not Marco Bell
    assert text[said.start:said.end] == "Whatever the weather, the buses will run in May"


def test_what_a_colon_after_the_verbs_object_opens_is_the_speakers(analyser: SpacyAnalyser) -> None:
    """"X stated a plain fact: ..." - the words after the colon are the fact she stated (the
    parse hangs them on a verb of their own)."""
    text, (a,) = analyse(analyser, "Mayor Ana Ruiz stated a plain fact: any vessel sent to the bay would be "
                                   'considered a "legitimate target" for inspectors.')
    (said,) = a.attributions
    assert said.speaker.endswith("Ana Ruiz")
    assert text[said.start:said.end] == 'a plain fact: any vessel sent to the bay would be considered a ' \
                                        '"legitimate target" for inspectors'


def test_a_clause_neither_starts_on_a_comma_nor_ends_on_a_dangling_conjunction(analyser: SpacyAnalyser) -> None:
    """Clauses are cut from the parse's subtrees; the parse hangs "and" on the clause before a
    conjunct it attaches elsewhere, and takes in the comma before a clause."""
    text, analyses = analyse(
        analyser, "LINDALE, June 3 \u2014 Thousands of people crowded onto the platforms on Sunday as Lindale's "
                  "River Line carried its first passengers, more than four years after the contract was signed "
                  "and almost a year and a half later than first planned. Crowds filled the quay on Sunday as the "
                  "ferry made its first crossing, more than four years after the contract was signed and almost a "
                  "year and a half later than first planned.")
    clauses = [text[s:e] for a in analyses for s, e in a.clauses]
    assert "more than four years after the contract was signed" in clauses
    assert not [c for c in clauses if c.endswith(" and") or c[:1] in ",;"]


def test_a_list_of_noun_phrases_keeps_its_items_and_its_verb(analyser: SpacyAnalyser) -> None:
    text, (a,) = analyse(analyser, "Bread, fresh milk and the eggs of local farms ran short, the shop said.")
    (n,) = a.enumerations
    assert [text[i.start:i.end] for i in n.items] == [i.text for i in n.items] \
        == ["Bread", "fresh milk", "the eggs of local farms"]
    assert [i.head for i in n.items] == ["bread", "milk", "egg"] and n.verb == "run"


def test_a_list_item_leaves_out_what_is_said_of_it_aside(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "The group has three members: Acme, which leads it, Birch Holdings and Corvo Marine.")
    assert [["Acme", "Birch Holdings", "Corvo Marine"]] == [[i.text for i in n.items] for n in a.enumerations]


def test_a_list_after_a_colon_does_not_take_in_the_noun_before_it(analyser: SpacyAnalyser) -> None:
    _, (a,) = analyse(analyser, "Two parties opposed the new tax: the Green League and the Farmers Union.")
    assert [["the Green League", "the Farmers Union"]] == [[i.text for i in n.items] for n in a.enumerations]


def test_a_reporting_verb_the_tagger_took_for_a_noun_still_reports(analyser: SpacyAnalyser) -> None:
    """The small tagger reads "claim" after a long subject as a noun; its subject makes it a verb."""
    text, (a,) = analyse(analyser,
                         "The hackers, who call themselves Stonevale, claim to have stolen 300 files of data.")
    (at,) = a.attributions
    assert at.verb == "claim" and "hackers" in at.speaker and "stolen 300 files" in text[at.start:at.end]
