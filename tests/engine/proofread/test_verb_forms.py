"""The verb form after a modal or do/does/did (engine/proofread/verb_forms.py)."""

from engine.proofread.faithful import faithful
from engine.proofread.grammar import grammar_candidates
from engine.proofread.spelling import speller
from engine.proofread.verb_forms import regular_bases, verb_form_candidates


def proposals(text: str) -> list[tuple[str, str, bool]]:
    return [(c.word, c.replacement, c.sure) for c in verb_form_candidates(text, speller().is_known)]


def test_an_irregular_past_after_a_modal_takes_the_base_form():
    assert proposals("We could even began the work.") == [("began", "begin", True)]
    assert proposals("They will went home.") == [("went", "go", True)]
    assert proposals("You can not went there.") == [("went", "go", True)]
    assert proposals("They cannot understood it.") == [("understood", "understand", True)]
    assert proposals("It would had been better.") == [("had", "have", True)]
    assert proposals("Animals that will did damage.") == [("did", "do", True)]  # "that" is no determiner here
    # also through the rules' entry point, as the proofreader calls it
    assert ("went", "go", True) in [(c.word, c.replacement, c.sure) for c in
                                    grammar_candidates("They will went home.", speller().is_known)]


def test_after_a_negated_do():
    assert proposals("I didn't went there.") == [("went", "go", True)]
    assert proposals("He did not thought so.") == [("thought", "think", True)]
    assert proposals("They did not developped it.") == [("developped", "develop", False)]


def test_regular_pasts_and_doubtful_words_only_go_to_the_model():
    assert proposals("You can helped him.") == [("helped", "help", False)]
    assert proposals("It will studied well.") == [("studied", "study", False)]
    assert proposals("He may was ill.") == [("was", "be", False)]
    assert proposals("They will found a company.") == [("found", "find", False)]
    assert proposals("What did happened?") == [("happened", "happen", False)]
    assert proposals("He did finished the work.") == [("finished", "finish", False)]


def test_right_as_written():
    for text in ("We will need help.", "I will tired.", "They do paid work.", "What he did was wrong.",
                 "They do advanced research.", "The can opened easily.", "His will left everything to her.",
                 "You could, as I said, ask.", "She would have gone.", "May went home early.",
                 "It can be used.", "He may fell afraid.", "We used to go there.", "Did he go?", "I did my homework."):
        assert proposals(text) == [], text


def test_regular_bases():
    known = speller().is_known
    assert regular_bases("stopped", known) == ["stop"]
    assert regular_bases("studied", known) == ["study"]
    assert "hope" in regular_bases("hoped", known) and "help" in regular_bases("helped", known)
    assert regular_bases("need", known) == [] and regular_bases("hundred", known) == []


def test_the_base_form_is_a_faithful_correction():
    assert faithful("They will went home.", "They will go home.")
    assert faithful("He did not thought so.", "He did not think so.")
    assert not faithful("They went home.", "They go home.")  # a tense change elsewhere is still refused
    assert not faithful("He did not thought so.", "He did think so.")  # the negation must stay


def test_proofreading_puts_the_base_form_with_its_reason(model):
    from engine.proofread import proofread

    result = proofread(model, "They will went home early, and we could even began the work.")
    assert "will go home" in result.text and "could even begin" in result.text
    reasons = {e.original: e.reason for e in result.edits}
    assert "base form" in reasons["went"] and "base form" in reasons["began"]


def test_make_and_let_take_the_bare_verb():
    from engine.proofread.verb_forms import bare_infinitive_candidates

    def fixes(text):
        return [(c.word, c.replacement, c.sure) for c in bare_infinitive_candidates(text)]

    assert fixes("It usually makes them to be more positive.") == [("to ", "", True)]
    assert fixes("Ads make me to buy things.") == [("to ", "", True)]
    for text in ("They made it to the final.", "It helps them to learn.", "Make them to-do lists.",
                 "She wants me to go.", "Let us, to be fair, wait."):
        assert fixes(text) == [], text
