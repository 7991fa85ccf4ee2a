// The folds must not buy recall with false positives: innocent words that
// contain a term, numbers that look like leetspeak, neighbouring words that
// could be joined, and real benign chat (tests/data/sms_ham.jsonl) with folds on
// versus plain matching.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/test_util.h"
#include "watchword/watchword.h"

namespace watchword {
namespace {

using ::testing::IsEmpty;
using ::watchword::testing::MustCompile;
using ::watchword::testing::ReadJsonl;
using ::watchword::testing::RuleIds;
using ::watchword::testing::SourcePath;
using ::watchword::testing::TestDataPath;

// Each test compiles a small ruleset with `UseRules` and scans texts with it.
class PrecisionTest : public ::testing::Test {
 protected:
  // Compiles the text-format `ruleset` for `backend`, and scans with it from
  // then on. Returns false, having failed the test, if it does not compile:
  // call as ASSERT_TRUE(UseRules(...)).
  bool UseRules(const std::string& ruleset,
                Backend backend = Backend::kDefault) {
    scanner_.reset();
    std::shared_ptr<const Engine> engine = MustCompile(ruleset, backend);
    if (engine == nullptr) return false;
    scanner_.emplace(std::move(engine));
    return true;
  }

  // The verdict on `text`, under the rules of the last `UseRules`; fails the
  // test if the scan does.
  v1::Verdict Scan(const std::string& text) {
    v1::Verdict verdict;
    EXPECT_TRUE(scanner_->Scan(text, &verdict).ok()) << text;
    return verdict;
  }

  // Ids of the rules that match `text`, in verdict order.
  std::vector<std::string> RulesMatched(const std::string& text) {
    return RuleIds(Scan(text));
  }

 private:
  std::optional<Scanner> scanner_;
};

constexpr char kScunthorpe[] = R"pb(
  name: "scunthorpe"
  rules { id: "ass" action: ACTION_REVIEW match { term { phrase: "ass" } } }
  rules { id: "hell" action: ACTION_REVIEW match { term { phrase: "hell" } } }
  rules { id: "pic" action: ACTION_REVIEW match { term { phrase: "pic" } } }
  rules { id: "age" action: ACTION_REVIEW match { term { phrase: "age" } } }
  rules { id: "omg" action: ACTION_REVIEW match { term { phrase: "omg" } } }
  rules { id: "god" action: ACTION_REVIEW match { term { phrase: "god" } } }
  rules { id: "sis" action: ACTION_REVIEW match { term { phrase: "sis" } } }
  rules { id: "kik" action: ACTION_REVIEW match { term { phrase: "kik" } } }
  rules { id: "asl" action: ACTION_REVIEW match { term { phrase: "asl" } } }
)pb";

TEST_F(PrecisionTest, InnocentWordsContainingATermDoNotMatch) {
  ASSERT_TRUE(UseRules(kScunthorpe));
  for (const char* text : {
           "class assessment in massachusetts", "bass passage", "hello shell",
           "michelle said hello", "picnic at the epic topic", "pictures",
           "teenage message usage page", "from growing", "good morning",
           "goodbye", "analysis thesis", "kicked off", "Ｃｌａｓｓ",
           "cl4ss", "h3llo", "p1cnic", "p!cnic", "the c.l.a.s.s met",
           "sussex", "assassin", "shellfish", "agenda", "omega",
           "*hugs* yeah", "5*3=15", "p*cnic", "***", "a*b*c", "#1 fan",
           "as\xc3\xad es", "asi es",
       }) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

TEST_F(PrecisionTest, NumbersStayNumbers) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "ass" action: ACTION_REVIEW match { term { phrase: "ass" } } }
    rules { id: "sos" action: ACTION_REVIEW match { term { phrase: "sos" } } }
    rules { id: "boo" action: ACTION_REVIEW match { term { phrase: "boo" } } }
    rules { id: "ease" action: ACTION_REVIEW match { term { phrase: "ease" } } }
  )pb"));
  for (const char* text :
       {"455", "it was 455 quid", "142,460", "call 505 now", "8 0 0",
        "3 4 5 5", "room 800", "12:30", "345.5", "2024-03-45", "#455",
        "5 0 5", "id 34553"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
  // The same characters inside a word are leetspeak.
  EXPECT_THAT(RulesMatched("s0s"), ::testing::ElementsAre("sos"));
}

TEST_F(PrecisionTest, AmbiguousChatSpeakAndDigitWordsStayNumbersOutsidePhrases) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "age" action: ACTION_REVIEW match { term { phrase: "what is your age" } } }
    rules { id: "see" action: ACTION_REVIEW match { term { phrase: "want to see you" } } }
    rules { id: "go" action: ACTION_REVIEW match { term { phrase: "go to your room" } } }
    rules { id: "asl" action: ACTION_REVIEW match { term { regex: "asl[?]* [0-9]+" } } }
    rules { id: "live" action: ACTION_REVIEW match { term { phrase: "i live at 12 oak" } } }
    rules { id: "hear" action: ACTION_REVIEW
            match { term { regex: "\\bcan (they|he) (hear|see) (you|u)\\b" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("what 15 your 463"), ::testing::ElementsAre("age"));
  EXPECT_THAT(RulesMatched("i want 2 c ya"), ::testing::ElementsAre("see"));
  // Two such spellings side by side read as words ("go to"), but not
  // beside a number.
  EXPECT_THAT(RulesMatched("now 90 70 ur room"), ::testing::ElementsAre("go"));
  EXPECT_THAT(RulesMatched("90 70 12 room"), IsEmpty());
  EXPECT_THAT(RulesMatched("asl? 13 f"), ::testing::ElementsAre("asl"));
  // "at", a number's cue word, reads before a number ("47 12"), though
  // not after one.
  EXPECT_THAT(RulesMatched("i live 47 12 oak st"),
              ::testing::ElementsAre("live"));
  EXPECT_THAT(RulesMatched("i live 4t 12 oak st"),
              ::testing::ElementsAre("live"));
  EXPECT_THAT(RulesMatched("i live 12 47 12 oak st"), IsEmpty());
  // A regex's words side by side count as a phrase's do ("see you").
  EXPECT_THAT(RulesMatched("can they hear ya"), ::testing::ElementsAre("hear"));
  EXPECT_THAT(RulesMatched("can they hear you"),
              ::testing::ElementsAre("hear"));
  for (const char* text :
       {"ya can they hear", "can they ya",
        "2 of them", "meet at 4pm", "room 463", "go to room 463",
        "i have 463 points", "your age 2",
        "want 2 of them", "its 4 u", "c you later"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

TEST_F(PrecisionTest, DigitsForLettersOnlyInTermWordsReadOnlyWhereAPhraseNeedsThem) {
  // "2" is "z" only in a spelling of a chat-speak word that holds a letter
  // ("pl2" and, "1" read as "l", "p12" for "plz"), and only where the word
  // it stands for makes a pair of a phrase with a neighbour.
  ASSERT_TRUE(UseRules(R"pb(
    normalization { equivalences { words: ["please", "pls", "plz"] } }
    rules { id: "tell" action: ACTION_REVIEW match { term { phrase: "please dont tell" } } }
  )pb"));
  for (const char* text : {"p12 dont tell", "pl2 dont tell", "PL2 DONT TELL"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("tell")) << text;
  }
  for (const char* text :
       {"see p12 of the form", "p12 form", "pl2 form", "b12 vitamins",
        "room 12b", "a2 paper", "p12 tell", "dont tell p12", "2 dont tell",
        "p2 dont tell"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
  // A phrase of one word needs its word anywhere: a spelling with a letter
  // reads as it alone, as "plz" does ("see p12" too), but a number stays a
  // number.
  ASSERT_TRUE(UseRules(R"pb(
    normalization { equivalences { words: ["please", "pls", "plz"] } }
    rules { id: "please" action: ACTION_REVIEW match { term { phrase: "please" } } }
    rules { id: "to" action: ACTION_REVIEW match { term { phrase: "to" } } }
  )pb"));
  for (const char* text : {"hey p12 ok", "pl2", "see p12"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("please")) << text;
  }
  for (const char* text : {"b12 vitamins", "room 12b", "a2", "12", "70 of them"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

TEST_F(PrecisionTest, ShortTermsDoNotMatchInsideAlphanumericCodes) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "ass" action: ACTION_REVIEW match { term { phrase: "ass" } } }
    rules { id: "sex" action: ACTION_REVIEW match { term { phrase: "sex" } } }
    rules { id: "boob" action: ACTION_REVIEW match { term { phrase: "boo" } } }
    rules { id: "a-pic" action: ACTION_REVIEW match { term { phrase: "send me a pic" } } }
  )pb"));
  for (const char* text : {
           "order A55-123 shipped",      // Order number.
           "ticket a55 123",             // Ticket number.
           "room 4b5-2 is free",         // Room number.
           "go to room b00-12",          // Room with a wing.
           "plate 53X-441 seen",         // Licence plate.
           "postcode S3X 12",            // Postcode.
           "ref 1-a55",                  // Reference.
           "send me 4 pics by 5",        // A count, with no "a" alone.
       }) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
  // The same spellings as words still fold.
  EXPECT_THAT(RulesMatched("nice a55 lol"), ::testing::ElementsAre("ass"));
  EXPECT_THAT(RulesMatched("send me 4 pic"), ::testing::ElementsAre("a-pic"));
}

TEST_F(PrecisionTest, WordsRunTogetherMatchAWholePhraseAtAnEndOfTheRun) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "old" action: ACTION_REVIEW match { term { phrase: "how old are you" } } }
    rules { id: "alone" action: ACTION_REVIEW match { term { phrase: "home alone" } } }
    rules { id: "pic" action: ACTION_REVIEW match { term { phrase: "send me a pic" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("howoldareyou"), ::testing::ElementsAre("old"));
  EXPECT_THAT(RulesMatched("ok h0w0ldarey0u?"), ::testing::ElementsAre("old"));
  EXPECT_THAT(RulesMatched("sendmeapic"), ::testing::ElementsAre("pic"));
  EXPECT_THAT(RulesMatched("homealone"), ::testing::ElementsAre("alone"));
  // A phrase of 10+ letters at either end of a longer run.
  EXPECT_THAT(RulesMatched("sendmeapicture"), ::testing::ElementsAre("pic"));
  EXPECT_THAT(RulesMatched("sohowoldareyou"), ::testing::ElementsAre("old"));
  // In the middle of a run, or shorter and not the whole word, it is not
  // the phrase: nothing marks where those words begin.
  for (const char* text : {"somehowoldareyouthere", "xhomealonex",
                           "homealoneness"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Spaced-out letters lose the spaces between words too ("s e n d m e u r
// p i x"). A term of 6+ letters counts anywhere in such a run; a shorter
// one where the rest of the run reads as words of the ruleset's terms, and
// digits: "c l a s s" has no "cl" before its "ass".
TEST_F(PrecisionTest, SpacedOutRunsMatchAShortTermWhereTheRestReadsAsWords) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "ask" action: ACTION_REVIEW
            match { all { exprs { term { phrase: "send me" } }
                          exprs { term { phrase: "pix" } } } } }
    rules { id: "age" action: ACTION_REVIEW match { term { phrase: "ur age" } } }
    rules { id: "ass" action: ACTION_REVIEW match { term { phrase: "ass" } } }
    rules { id: "meet" action: ACTION_REVIEW match { term { phrase: "meet up" } } }
    rules { id: "home" action: ACTION_REVIEW match { term { phrase: "home" } } }
  )pb"));
  for (const char* text : {"s e n d m e u r p i x", "ok s.e.n.d.m.e.u.r.p.i.x?",
                           "s e n d m e 2 p i x"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("ask"))
        << text;
  }
  EXPECT_THAT(RulesMatched("u r a g e p i x"), ::testing::ElementsAre("age"));
  EXPECT_THAT(RulesMatched(
                           "w e s h o u l d m e e t u p t h i s w e e k e n d"),
              ::testing::ElementsAre("meet"));
  for (const char* text : {"c l a s s", "p a s s e d", "a s s e n d m e",
                           "s e n d m e p i x e l", "s e n d m e a p i x",
                           "d o y o u r h o m e w o r k"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Two letters standing alone that spell a chat-speak word ("b f" for "bf")
// are that word, and only they: a letter beside a word, letters listed
// with a comma, and letters that are words alone ("u r") stay.
TEST_F(PrecisionTest, TwoLoneLettersSpellAChatSpeakWordOnlyAsAPair) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "bf" action: ACTION_REVIEW match { term { phrase: "boyfriend" } } }
    rules { id: "gf" action: ACTION_REVIEW match { term { phrase: "your girlfriend" } } }
    rules { id: "your" action: ACTION_REVIEW match { term { phrase: "your age" } } }
  )pb"));
  for (const char* text : {"do u have b f", "b-f?", "ur b. f", "my b/f"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("bf")) << text;
  }
  EXPECT_THAT(RulesMatched("is she ur g.f"), ::testing::ElementsAre("gf"));
  for (const char* text :
       {"plan b for the weekend", "grades: b, f and c", "a b f g h",
        "b fine", "section b f12", "u r age", "y r age"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// An emoji between two symbols makes them one word of stand-ins ("|⚾$" is
// "is"), which still reads as a term word only as stand-ins do: an
// emoticon or a repeated symbol stays.
TEST_F(PrecisionTest, AnEmojiBetweenSymbolsJoinsOnlyAWordOfStandIns) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "home" action: ACTION_REVIEW match { term { phrase: "is anyone home" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("|\u26BE$ anyone home"),
              ::testing::ElementsAre("home"));
  for (const char* text : {":\U0001F600) anyone home", "$\U0001F600$ anyone home",
                           "!\U0001F600! anyone home"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Three digits in a row among spaced-out letters are read both ways: as a
// number ("1 0 0 0 r o b u x") and as leetspeak ("5 3 4 t s").
TEST_F(PrecisionTest, SpacedOutDigitsReadAsANumberAndAsLetters) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "robux" action: ACTION_REVIEW match { term { phrase: "1000 robux" } } }
    rules { id: "seats" action: ACTION_REVIEW match { term { phrase: "seats" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("i l l g i v e u 1 0 0 0 r o b u x"),
              ::testing::ElementsAre("robux"));
  EXPECT_THAT(RulesMatched("ok 5 3 4 t s"),
              ::testing::ElementsAre("seats"));
  for (const char* text : {"i o o o r o b u x", "1 0 0 r o b u x"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Words typed together are read the same way, in a word of
// kRunTogetherLetters (9) or more: shorter words are too often ordinary
// words that happen to split into term words ("aslan", "an" + "asl").
TEST_F(PrecisionTest, WordsRunTogetherMatchAShortTermWhereTheRestReadsAsWords) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "ask" action: ACTION_REVIEW
            match { all { exprs { term { phrase: "send me" } }
                          exprs { term { phrase: "pix" } } } } }
    rules { id: "asl" action: ACTION_REVIEW match { term { phrase: "asl" } } }
    rules { id: "an" action: ACTION_LOG match { term { phrase: "ur an apple" } } }
    rules { id: "wear" action: ACTION_REVIEW
            match { term { phrase: "what are you wearing" } } }
    rules { id: "alone" action: ACTION_LOG match { term { phrase: "so alone rn" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("ok sendmeurpix"), ::testing::ElementsAre("ask"));
  EXPECT_THAT(RulesMatched("hey anasl"), IsEmpty());
  EXPECT_THAT(RulesMatched("aslan kafesinde uyuyor"), IsEmpty());
  EXPECT_THAT(RulesMatched("sendmeapixel"), IsEmpty());
  // A long match in the middle of the word, too, where the rest reads as
  // words; not where it does not.
  EXPECT_THAT(RulesMatched("sowhatareyouwearingrn"),
              ::testing::ElementsAre("wear"));
  EXPECT_THAT(RulesMatched("xowhatareyouwearingxn"), IsEmpty());
}

// Chat-speak that is a word or number of its own ("2" for "to", "4" for
// "for", "ya" for "you") reads as its word in a phrase typed together,
// where the phrase's other words are beside it ("switch2discord"), also
// where the fold reads a digit among letters as leetspeak ("somature4yrage"
// is "somatureayrage"). Ordinary hashtags and usernames with such a digit
// stay ordinary.
TEST_F(PrecisionTest, StandInsInWordsRunTogetherReadOnlyInAPhrase) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "discord" action: ACTION_REVIEW
            match { term { phrase: "switch to discord" } } }
    rules { id: "mature" action: ACTION_REVIEW
            match { term { phrase: "so mature for your age" } } }
    rules { id: "school" action: ACTION_REVIEW
            match { term { phrase: "what school do you go to" } } }
    rules { id: "to-school" action: ACTION_REVIEW
            match { term { phrase: "to school" } } }
    rules { id: "for-you" action: ACTION_REVIEW
            match { term { phrase: "for you" } } }
    rules { id: "see-you" action: ACTION_REVIEW
            match { term { phrase: "see you" } } }
    rules { id: "parents" action: ACTION_REVIEW
            match { term { regex: "your (parents|mom) (can't|won't) (see|read)" } } }
  )pb"));
  // A regex's words too.
  EXPECT_THAT(RulesMatched("ok urparentswontc"),
              ::testing::ElementsAre("parents"));
  EXPECT_THAT(RulesMatched("ourparentswontcome"), IsEmpty());
  EXPECT_THAT(RulesMatched("ok switch2discord"),
              ::testing::ElementsAre("discord"));
  EXPECT_THAT(RulesMatched("hey somature4yrage"),
              ::testing::ElementsAre("mature"));
  EXPECT_THAT(RulesMatched("wutschooldoyago2"),
              ::testing::ElementsAre("school"));
  for (const char* text :
       {"back2school", "#back2school", "4ever", "made4you", "this1s4youbabe",
        "gr8day2day", "seeyaaround", "nicetomeetya", "mynameisjohn4u"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// A whole token with a letter that spells a chat-speak word with symbols
// ("y@" for "ya", "pl$" for "pls") reads as that word, wherever the symbol
// is; a symbol at the end of another short word stays a symbol ("hel|"),
// and so does one inside a longer token ("y@hoo").
TEST_F(PrecisionTest, SymbolsSpellChatSpeakAsAWholeToken) {
  ASSERT_TRUE(UseRules(R"pb(
    normalization {
      equivalences { words: [ "you", "u", "ya" ] }
      equivalences { words: [ "please", "pls" ] }
    }
    rules { id: "pay" action: ACTION_REVIEW
            match { term { phrase: "i will pay you" } } }
    rules { id: "send" action: ACTION_REVIEW
            match { term { phrase: "send pics please" } } }
    rules { id: "hell" action: ACTION_REVIEW match { term { phrase: "hell" } } }
  )pb"));
  EXPECT_THAT(RulesMatched("i will pay y@"), ::testing::ElementsAre("pay"));
  EXPECT_THAT(RulesMatched("send pics pl$"), ::testing::ElementsAre("send"));
  for (const char* text : {"hel|", "i will pay y@hoo", "i will pay y@@"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Digits in words typed together are a number as well as leetspeak
// ("illpayyou20bucks", where the fold reads "you2obucks"), as they are
// among spaced-out letters; a number in an ordinary run-together word is
// no term for that.
TEST_F(PrecisionTest, NumbersInWordsRunTogetherReadAsNumbersToo) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "pay" action: ACTION_REVIEW
            match { near { exprs { term { phrase: "i'll pay you" } }
                           exprs { term { regex: "\\b\\d+ ?bucks"
                                          substring: true } }
                           max_words: 3 } } }
  )pb"));
  EXPECT_THAT(RulesMatched("illpayyou20bucks"), ::testing::ElementsAre("pay"));
  for (const char* text : {"milwaukeebucks2020", "top20bucksdeals",
                           "illpayyoubucks2020", "payyouback20"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// An ordinary word of 9+ letters that is a two-word phrase with its space
// taken out reads as that phrase typed together, as "homealone" does "home
// alone": "heard it on the grapevine" matches "grape vine". The words come
// from a word list (wamerican), not from the matching code. TODO(#11): that
// one is a false positive today, on both backends; when it stops matching
// it belongs with the texts below that do not. An article and one word
// typed together is no phrase ("therapist" is not "the rapist").
TEST_F(PrecisionTest, OrdinaryWordsThatSplitIntoAPhrasesWordsMatchItToday) {
  for (const Backend backend : {Backend::kRe2, Backend::kHyperscan}) {
    if (backend == Backend::kHyperscan && !HasHyperscan()) continue;
    SCOPED_TRACE(backend == Backend::kRe2 ? "re2" : "hyperscan");
    ASSERT_TRUE(UseRules(R"pb(
      rules { id: "rapist" action: ACTION_REVIEW
              match { term { phrase: "the rapist" } } }
      rules { id: "vine" action: ACTION_REVIEW
              match { term { phrase: "grape vine" } } }
      rules { id: "ass" action: ACTION_REVIEW match { term { phrase: "ass" } } }
      rules { id: "age" action: ACTION_REVIEW match { term { phrase: "age" } } }
      rules { id: "old" action: ACTION_REVIEW match { term { phrase: "old" } } }
      rules { id: "teen" action: ACTION_REVIEW match { term { phrase: "teen" } } }
      rules { id: "hot" action: ACTION_REVIEW match { term { phrase: "hot" } } }
    )pb", backend));
    EXPECT_THAT(RulesMatched("heard it on the grapevine"),
                ::testing::ElementsAre("vine"));
    // Not the whole word, or a short term whose rest is no word of the
    // rules: "my therapists" is "the rapist" and an "s".
    for (const char* text :
         {"my therapist", "therapist appointment", "my therapists",
          "physiotherapist", "my assistant", "assailing",
          "what percentage", "threshold", "seventeen", "teenage",
          "screenshot", "hotheaded"}) {
      EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
    }
  }
}

// A phrase typed together in a word shorter than kRunTogetherLetters
// ("rualone", "giftcard") matches only as that whole word, and an article
// typed together with one word is an ordinary word ("therapist",
// "askin", "another"), not the phrase.
TEST_F(PrecisionTest, ShortWordsRunTogetherMatchOnlyAsAWholeWord) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "alone" action: ACTION_REVIEW match { term { phrase: "are you alone" } } }
    rules { id: "gift" action: ACTION_REVIEW match { term { phrase: "gift card" } } }
    rules { id: "mom" action: ACTION_REVIEW match { term { phrase: "your mom" } } }
    rules { id: "rapist" action: ACTION_REVIEW match { term { phrase: "the rapist" } } }
    rules { id: "skin" action: ACTION_REVIEW match { term { phrase: "a skin" } } }
    rules { id: "other" action: ACTION_REVIEW match { term { phrase: "an other" } } }
    rules { id: "me" action: ACTION_REVIEW match { term { phrase: "the me" } } }
  )pb"));
  for (const char* text : {"rualone?", "ok r u alone", "ruAlone", "areyoualone"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("alone"))
        << text;
  }
  for (const char* text : {"hey giftcard ok", "g1ftcard", "GiftCard!"}) {
    EXPECT_THAT(RulesMatched(text), ::testing::ElementsAre("gift"))
        << text;
  }
  EXPECT_THAT(RulesMatched("urmom"), ::testing::ElementsAre("mom"));
  for (const char* text :
       {"giftcards", "xgiftcard", "giftcardz", "rualoner", "currents",
        "my therapist said so", "therapists", "r u askin me", "asking",
        "another one", "the theme song", "urmomentum", "ask urmomx"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
  EXPECT_THAT(RulesMatched("he is the rapist"),
              ::testing::ElementsAre("rapist"));
}

TEST_F(PrecisionTest, DisguiseRowsKeepPunctuationAndQuotes) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "hell" action: ACTION_REVIEW match { term { phrase: "hell" } } }
    rules { id: "cage" action: ACTION_REVIEW match { term { phrase: "cage" } } }
    rules { id: "how" action: ACTION_REVIEW match { term { phrase: "how old" } } }
    rules { id: "ho" action: ACTION_REVIEW match { term { phrase: "ho" } } }
  )pb"));
  for (const char* text : {
           "(age 12)", "'how' old", "__init__ old", "how_ old",
           "() 5", ":-) 5", "}{ello", "hel|",
       }) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Stand-ins read through a separator ("$😀end") or a stretch ("thi$$$$$")
// only where they touch a word: emoticons, prices, code and brackets stay.
TEST_F(PrecisionTest, SymbolsBesideSeparatorsOrStretchedStaySymbols) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "cage" action: ACTION_REVIEW match { term { phrase: "cage" } } }
    rules { id: "hell" action: ACTION_REVIEW match { term { phrase: "hell" } } }
    rules { id: "sis" action: ACTION_REVIEW match { term { phrase: "sis" } } }
    rules { id: "tea" action: ACTION_REVIEW match { term { phrase: "tea" } } }
    rules { id: "meet" action: ACTION_REVIEW match { term { phrase: "meet you" } } }
  )pb"));
  for (const char* text : {
           "(((age 12)))", "look: (((age)))", "@_@ lol", "^_^ +_+ $_$",
           "it costs $$$ i said", "c+++ea", "hi!!! ell", "is $_5 ok",
           "$\U0001F4B0\U0001F4B0 is", "is\U0001F600 $5", "(\U0001F600age)",
           "hey!\U0001F600ell",
           // A squeezed view for "!!!" or "$$$" would make "met" "meet".
           "i met you, friends forever!!!", "$$$ met you",
       }) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
  // The same symbols hiding a letter are read, stretched too.
  EXPECT_THAT(RulesMatched("$i$$$"), ::testing::ElementsAre("sis"));
  EXPECT_THAT(RulesMatched("$\U0001F600is"), ::testing::ElementsAre("sis"));
  EXPECT_THAT(RulesMatched("t\u20AC_@"), ::testing::ElementsAre("tea"));
}

TEST_F(PrecisionTest, DoubleLettersAreNotStretchedLetters) {
  ASSERT_TRUE(UseRules(kScunthorpe));
  EXPECT_THAT(RulesMatched("good job"), IsEmpty());
  EXPECT_THAT(RulesMatched("goood job"),
              ::testing::ElementsAre("god"));  // Stretched: ambiguous, kept.
  EXPECT_THAT(RulesMatched("omgggg"), ::testing::ElementsAre("omg"));
}

TEST_F(PrecisionTest, MasksMeetChatSpeakAndDoubleLetters) {
  ASSERT_TRUE(UseRules(R"pb(
    name: "masks"
    normalization { equivalences { words: "pic" words: "pix" } }
    rules { id: "pic" action: ACTION_REVIEW
            match { term { phrase: "send me a pic" } } }
    rules { id: "little" action: ACTION_REVIEW
            match { term { phrase: "little" } } }
  )pb"));
  // A masked word is not folded to its class in the text, so the phrase
  // meets it in every spelling of the class.
  EXPECT_THAT(RulesMatched("se*d me a p*x"), ::testing::ElementsAre("pic"));
  EXPECT_THAT(RulesMatched("se*d me a p*c"), ::testing::ElementsAre("pic"));
  EXPECT_THAT(RulesMatched("se*d me a p*t"), IsEmpty());
  // A mask may stand for one of a double letter, stretched or not.
  EXPECT_THAT(RulesMatched("lit*le"), ::testing::ElementsAre("little"));
  EXPECT_THAT(RulesMatched("lit*leeee"), ::testing::ElementsAre("little"));
  // As "litle" does not match "little" unless something is stretched.
  EXPECT_THAT(RulesMatched("l*tle"), IsEmpty());
  EXPECT_THAT(RulesMatched("lit*les"), IsEmpty());
  EXPECT_THAT(RulesMatched("lit**le"), IsEmpty());
}

TEST_F(PrecisionTest, AllRunsRepeatModeCutsEveryDoubleLetter) {
  ASSERT_TRUE(UseRules(R"pb(
    normalization { repeat_mode: REPEAT_MODE_ALL_RUNS }
    rules { id: "god" action: ACTION_REVIEW match { term { phrase: "god" } } }
    rules { id: "send" action: ACTION_REVIEW match { term { phrase: "send" } } }
  )pb"));
  // The precision the default mode keeps, traded for recall on doubles.
  EXPECT_THAT(RulesMatched("good job"), ::testing::ElementsAre("god"));
  EXPECT_THAT(RulesMatched("sennd it"), ::testing::ElementsAre("send"));
  const v1::Verdict verdict = Scan("sennd");
  ASSERT_EQ(verdict.rule_matches_size(), 1);
  EXPECT_THAT(verdict.rule_matches(0).folds(),
              ::testing::ElementsAre(v1::FOLD_REPEAT));
}

TEST_F(PrecisionTest, DisabledFoldsKeepATermLiteral) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "mp3" action: ACTION_REVIEW
            match { term { phrase: "mp3" disable_folds: FOLD_LEETSPEAK } } }
    rules { id: "send" action: ACTION_REVIEW
            match { term { phrase: "send" disable_folds: [FOLD_LEETSPEAK, FOLD_SPACING] } } }
  )pb"));
  EXPECT_THAT(RulesMatched("my mp3 player"), ::testing::ElementsAre("mp3"));
  EXPECT_THAT(RulesMatched("s3nd"), IsEmpty());
  EXPECT_THAT(RulesMatched("s e n d"), IsEmpty());
  EXPECT_THAT(RulesMatched("ѕеnd"), ::testing::ElementsAre("send"));
}

TEST_F(PrecisionTest, EvasionPolicyRequiresOrRaisesOnFolds) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "only-disguised" action: ACTION_LOG severity: SEVERITY_LOW
            match { term { phrase: "snap" } }
            evasion { require_any: [FOLD_LEETSPEAK, FOLD_HOMOGLYPH] } }
    rules { id: "raised" action: ACTION_LOG severity: SEVERITY_LOW
            match { term { phrase: "secret" } }
            evasion { severity_if_folded: SEVERITY_HIGH action_if_folded: ACTION_REVIEW } }
  )pb"));
  v1::Verdict verdict = Scan("snap secret");
  ASSERT_EQ(verdict.rule_matches_size(), 1);
  EXPECT_EQ(verdict.rule_matches(0).rule_id(), "raised");
  EXPECT_EQ(verdict.action(), v1::ACTION_LOG);
  verdict = Scan("sn4p s3cret");
  ASSERT_EQ(verdict.rule_matches_size(), 2);
  EXPECT_EQ(verdict.rule_matches(0).rule_id(), "only-disguised");
  EXPECT_EQ(verdict.rule_matches(1).severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(verdict.action(), v1::ACTION_REVIEW);
  EXPECT_THAT(verdict.rule_matches(1).folds(),
              ::testing::ElementsAre(v1::FOLD_LEETSPEAK));
}

TEST_F(PrecisionTest, MixedScriptWordsAreASignal) {
  ASSERT_TRUE(UseRules(R"pb(
    rules { id: "mixed" action: ACTION_REVIEW
            match { signal: SIGNAL_MIXED_SCRIPT } }
    rules { id: "mixed-near-pic" action: ACTION_BLOCK
            match { near { max_words: 2
                           exprs { signal: SIGNAL_MIXED_SCRIPT }
                           exprs { term { phrase: "pic" } } } } }
  )pb"));
  // "sеnd" with a Cyrillic е: one mixed word, reported where it is.
  const v1::Verdict verdict = Scan("pls s\xd0\xb5nd a pic");
  ASSERT_EQ(verdict.rule_matches_size(), 2);
  EXPECT_EQ(verdict.rule_matches(0).rule_id(), "mixed");
  EXPECT_EQ(verdict.rule_matches(0).matches(0).term_id(), "mixed-script");
  EXPECT_EQ(verdict.rule_matches(0).matches(0).begin(), 4u);
  EXPECT_EQ(verdict.rule_matches(0).matches(0).end(), 9u);
  EXPECT_THAT(verdict.rule_matches(0).folds(),
              ::testing::ElementsAre(v1::FOLD_HOMOGLYPH));
  // Separate words in separate scripts, and Latin with Han or kana, are
  // ordinary writing.
  for (const char* text : {"привет hello", "東京Tokyo", "ラーメンramen",
                           "hello", "café", "γεια σου"}) {
    EXPECT_THAT(RulesMatched(text), IsEmpty()) << text;
  }
}

// Share of corpus messages whose verdict's action is `at_least` or more.
double FlaggedPercent(const std::shared_ptr<const Engine>& engine,
                      const std::vector<std::string>& texts,
                      v1::Action at_least, std::vector<std::string>* flagged) {
  Scanner scanner(engine);
  v1::Verdict verdict;
  int count = 0;
  for (const std::string& text : texts) {
    EXPECT_TRUE(scanner.Scan(text, &verdict).ok());
    if (verdict.rule_matches_size() > 0 && verdict.action() >= at_least) {
      ++count;
      if (flagged != nullptr) flagged->push_back(text);
    }
  }
  return 100.0 * count / texts.size();
}

TEST_F(PrecisionTest, FoldsAddAtMostATenthOfAPointOfReviewedBenignMessages) {
  std::vector<std::string> texts;
  for (const v1::ScanRequest& request :
       ReadJsonl<v1::ScanRequest>(TestDataPath("sms_ham.jsonl"))) {
    texts.push_back(request.text());
  }
  ASSERT_GT(texts.size(), 4000u);
  // The bundled rulesets are what platforms deploy. (The evasion terms are
  // single phrases such as "please" with its chat-speak "pls": there the
  // folds find exactly what they should, so that list is not a measure.)
  std::vector<std::string> rulesets = {"rulesets/examples/starter.textproto"};
  if (std::filesystem::is_directory(SourcePath("rulesets/child_safety"))) {
    rulesets.push_back("rulesets/child_safety");
  }
  for (const std::string& path : rulesets) {
    auto ruleset = LoadRuleset(SourcePath(path));
    ASSERT_TRUE(ruleset.ok()) << ruleset.status();
    // The baseline keeps the ruleset's word equivalences (chat-speak):
    // they are how its author spells "ur" and "dont" once instead of in
    // every term, so they belong to what the rules say, not to the
    // disguise folds measured here.
    v1::Ruleset plain = *ruleset;
    for (int fold = v1::FOLD_INVISIBLE; fold <= v1::Fold_MAX; ++fold) {
      if (fold == v1::FOLD_CHAT_SPEAK) continue;
      plain.mutable_normalization()->add_disable(static_cast<v1::Fold>(fold));
    }
    auto folded_engine = Compile(*ruleset);
    auto plain_engine = Compile(plain);
    ASSERT_TRUE(folded_engine.ok()) << folded_engine.status();
    ASSERT_TRUE(plain_engine.ok()) << plain_engine.status();
    // What a person sees (REVIEW and above) may gain at most a tenth of a
    // point. LOG-level weak signals may gain a little more: a rule written
    // as "you can trust me" logs "U can trust me" as it logs the plain
    // spelling, and such rules exist to feed conversation-level patterns.
    struct Bound {
      v1::Action at_least;
      double points;
    };
    for (const Bound bound : {Bound{v1::ACTION_REVIEW, 0.1},
                              Bound{v1::ACTION_LOG, 0.2}}) {
      std::vector<std::string> folded_flags, plain_flags;
      double folded = FlaggedPercent(*folded_engine, texts, bound.at_least,
                                     &folded_flags);
      double plain_rate = FlaggedPercent(*plain_engine, texts,
                                         bound.at_least, &plain_flags);
      std::printf("%s: %s or above on %.3f%% with folds, %.3f%% plain "
                  "(%zu messages)\n",
                  path.c_str(), v1::Action_Name(bound.at_least).c_str(),
                  folded, plain_rate, texts.size());
      std::string extra;
      for (const std::string& text : folded_flags) {
        if (std::find(plain_flags.begin(), plain_flags.end(), text) ==
            plain_flags.end()) {
          extra += "  " + text.substr(0, 80) + "\n";
        }
      }
      EXPECT_LE(folded - plain_rate, bound.points)
          << path << ": messages only the folds flag at "
          << v1::Action_Name(bound.at_least) << " or above:\n" << extra;
    }
  }
}

TEST_F(PrecisionTest, EvasionRecallDependsOnTheFolds) {
  // The recall test proves something only if plain matching misses the
  // disguises: with every fold off, most of them get through.
  auto ruleset = LoadRuleset(SourcePath("tests/evasion/terms.textproto"));
  ASSERT_TRUE(ruleset.ok());
  for (int fold = v1::FOLD_INVISIBLE; fold <= v1::Fold_MAX; ++fold) {
    ruleset->mutable_normalization()->add_disable(static_cast<v1::Fold>(fold));
  }
  auto engine = Compile(*ruleset);
  ASSERT_TRUE(engine.ok()) << engine.status();
  Scanner scanner(*engine);
  v1::Verdict verdict;
  int caught = 0;
  for (const char* text : {"s3nd m3 a p1c", "ѕеnd mе а рiс", "s e n d me a pic",
                           "sennnd me a pic", "send me a pîc"}) {
    ASSERT_TRUE(scanner.Scan(text, &verdict).ok());
    caught += verdict.rule_matches_size() > 0;
  }
  EXPECT_EQ(caught, 0);
}

}  // namespace
}  // namespace watchword
