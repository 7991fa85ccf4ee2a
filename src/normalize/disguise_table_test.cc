#include "src/normalize/disguise_table.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/normalize/fold.h"
#include "tests/testing/fold_util.h"
#include "watchword/normalizer.h"

namespace watchword {
namespace {

using ::watchword::testing::DefaultFoldConfig;
using ::watchword::testing::FoldedUnits;
using ::watchword::testing::FoldsOf;

// The folded view of `text` (before equivalences), through FoldBase, and
// checked against the ASCII fast path where that path takes the text.
std::string Folded(const std::string& text,
                   const FoldConfig& config = DefaultFoldConfig()) {
  FoldedView view;
  EncodeView(FoldedUnits(text, config), &view);
  NormalizedText base;
  Normalize(text, &base);
  FoldedView ascii;
  if (FoldAscii(text, base, config, &ascii)) {
    EXPECT_EQ(ascii.text, view.text) << text;
    EXPECT_EQ(ascii.begin, view.begin) << text;
    EXPECT_EQ(ascii.end, view.end) << text;
    EXPECT_EQ(ascii.folds, view.folds) << text;
  }
  return view.text;
}

TEST(DisguiseTableTest, EveryRowIsWellFormed) {
  for (const Disguise& row : ShippedDisguises()) {
    EXPECT_FALSE(row.from.empty());
    EXPECT_TRUE(row.to == kDropped || row.to == kSeparator ||
                (row.to >= 'a' && row.to <= 'z') ||
                (row.to == kAsTyped && row.alternate != 0))
        << row.from;
    EXPECT_TRUE(row.alternate == 0 || row.alternate == kAsTyped ||
                (row.alternate >= 'a' && row.alternate <= 'z'))
        << row.from;
    EXPECT_NE(row.where, 0) << row.from;
    EXPECT_NE(row.fold, 0) << row.from;
    // Rows are written as NFKC_Casefold leaves text, or they never match.
    NormalizedText base;
    Normalize(std::string(row.from), &base);
    EXPECT_EQ(base.text, row.from);
  }
}

TEST(DisguiseTableTest, ShippedLeetAndAlternatesComeFromTheTable) {
  EXPECT_EQ(FoldConfig::DefaultLeet().at('4'), 'a');
  EXPECT_EQ(FoldConfig::DefaultLeet().at(0x20AC), 'e');  // €
  EXPECT_FALSE(FoldConfig::DefaultLeet().contains('\''));
  EXPECT_EQ(FoldConfig::AlternateLeet().at('1'), 'l');
  EXPECT_EQ(FoldConfig::AlternateLeet().at('|'), 'l');
}

TEST(DisguiseTableTest, SymbolsOpenAWordBeforeALetter) {
  EXPECT_EQ(Folded("$end me @ pic"), "send me @ pic");
  EXPECT_EQ(Folded("@re you"), "are you");
  EXPECT_EQ(Folded("|ave"), "iave");  // The alternate view reads "lave".
  EXPECT_EQ(Folded("$5 @ 5"), "$5 @ 5");
  EXPECT_EQ(Folded("(see below)"), "(see below)");
  EXPECT_EQ(FoldsOf("$end"), kFoldLeetspeak);
}

TEST(DisguiseTableTest, SequencesOfSymbolsAreOneLetter) {
  EXPECT_EQ(Folded("|-|ow"), "how");
  EXPECT_EQ(Folded("\\/\\/hat"), "what");
  EXPECT_EQ(Folded("h()w y0|_|"), "how you");
  EXPECT_EQ(Folded("/-\\nd"), "and");
  EXPECT_EQ(Folded("ol|)"), "old");
  EXPECT_EQ(Folded("se|\\|d"), "send");
  EXPECT_EQ(Folded("|\\/|e"), "me");
  EXPECT_EQ(Folded("s[-nd l][ttle '|'ell (_+irl ~/_ero"),
            "send little tell girl zero");
  EXPECT_EQ(FoldsOf("|-|ow"), kFoldLeetspeak);
  // Two-character ones need a letter in their token, or another sequence
  // ("()|\\|" is "on"), or to stand alone for a one-letter word of the
  // ruleset's phrases.
  EXPECT_EQ(Folded("f() ()"), "fo ()");
  EXPECT_EQ(Folded(">< :)"), ">< :)");
  EXPECT_EQ(Folded("()|\\| `/()(_) -|-[]"), "on you to");
  EXPECT_EQ(Folded("/-\\|\\/|[-"), "ame");
  FoldConfig a = DefaultFoldConfig();
  EXPECT_EQ(Folded("s[-nd /\\ pic", a), "send /\\ pic");
  a.alone_letters = 1u << ('a' - 'a');
  EXPECT_EQ(Folded("s[-nd /\\ pic", a), "send a pic");
  // Among letters spaced out, each one is a letter.
  EXPECT_EQ(Folded("s [- n d |o i c"), "s e n d p i c");
  EXPECT_EQ(Folded("[- a |o"), "e a p");
  EXPECT_EQ(Folded("ok () 5"), "ok () 5");
}

TEST(DisguiseTableTest, SequencesKeepTheirSeparators) {
  // Dotted letters: a sequence with dots after it, among dotted letters, is
  // one letter as it is among spaced ones.
  EXPECT_EQ(Folded("p. /\\. r. [-. n. -|-. s"), "p. a. r. e. n. t. s");
  EXPECT_EQ(Folded("|_. |_ y. o"), "l. l y. o");
  EXPECT_EQ(Folded("h~[]:|_-|)"), "h~o:l-d");
  // A dash after a row is a separator, not left over.
  EXPECT_EQ(Folded("/\\/\\-y |_|-|2 s"), "m-y u-r s");
  // Among dashed letters, "-|-" is the dashes around "|", not "t".
  EXPECT_EQ(Folded("p-|-c-k"), "p-|-c-k");
  EXPECT_EQ(Folded("s-e-l-f-|-e"), "s-e-l-f-|-e");
  EXPECT_EQ(Folded("c-a-|-l"), "c-a-|-l");
  // Alone, or between two letters only, it is still "t"; a dash that ends
  // "[-" spaces out no letter ("par[-n-|-s").
  EXPECT_EQ(Folded("x -|- y"), "x t y");
  EXPECT_EQ(Folded("a-|-e"), "ate");
  EXPECT_EQ(Folded("par[-n-|-s"), "parents");
  // Nor is a mask; a symbol that opens or ends words is a letter beside a
  // row.
  EXPECT_EQ(Folded("bet\\/\\/*en"), "betw*en");
  EXPECT_EQ(Folded("+() $[]$"), "to sos");
  EXPECT_EQ(Folded("a+ () :() |()"), "at () :() |()");
  // An underscore before a row is a separator, not the "_" of "_|" ("j"),
  // and an underscore with a row after it leaves nothing over.
  EXPECT_EQ(Folded("[]_|_|_|2_l"), "o u r l");
  EXPECT_EQ(Folded("o_l_|)_/-\\_r"), "o l d a r");
  EXPECT_EQ(Folded("\\/\\/_[]"), "w o");
  EXPECT_EQ(Folded("_|ump"), "jump");
  // A pipe between underscores separates words too.
  EXPECT_EQ(Folded("westfield_|_my"), "westfield my");
  EXPECT_EQ(Folded("prende\U0001F92E|_a"), "prende la");
  // An emoji inside a word leaves the sequence after it in the word.
  EXPECT_EQ(Folded("t[-|_\U0001F4F7|_"), "tel l");
  // What spaced letters do not surround stays as typed.
  EXPECT_EQ(Folded("ok. (). 5"), "ok. (). 5");
  EXPECT_EQ(Folded("a :) b"), "a :) b");
  EXPECT_EQ(Folded("lol\U0001F602()"), "lol ()");
}

TEST(DisguiseTableTest, SequencesThatSplitTwoWaysReadTheTermWord) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"tell", "webcam", "really", "mensajes"});
  // "|_|_" is "u" and "_", or "l" twice; "/\/\/\" is "ma" or "am".
  EXPECT_EQ(Folded("te|_|__your", config), "tell your");
  EXPECT_EQ(Folded("\\^/[-|3c/\\/\\/\\", config), "webcam");
  EXPECT_EQ(Folded("r[-/\\|_|_`/", config), "really");
  // Leetspeak digits and symbols spell the word too.
  EXPECT_EQ(Folded("w3bc/\\/\\/\\", config), "webcam");
  // A row one reading leaves as typed is its letter there where that makes
  // a term word beside another sequence.
  config.SetTermWords({"whatsapp", "parents", "find"});
  FoldConfig second = config;
  second.ReadSequencesAlternately();
  EXPECT_EQ(Folded("vv|-|atsap|o ph][/\\/[)", config), "whatsapp find");
  EXPECT_EQ(Folded("|oa|2ents", second), "parents");
  // Dotted letters spell their word too.
  EXPECT_EQ(Folded("|o.a.|2.e.n.t.s", second), "p.a.r.e.n.t.s");
  EXPECT_EQ(Folded("vvho vv|-|o", config), "vvho vvho");
  // Look-alike letters spell their Latin letter in the term word too.
  EXPECT_EQ(Folded("vvh\u03b1'|'s\u03b1|*\u03f1", config), "whatsapp");
  EXPECT_EQ(Folded("vvh\u03b1'|'s", config), "vvhats");
  EXPECT_EQ(Folded("vvhatsapp phind"), "vvhatsapp phind");
  config.SetTermWords({"tell", "webcam", "really", "mensajes"});
  // "_|" is "j" after a letter only where it makes a term word.
  EXPECT_EQ(Folded("m[-nsa_|es", config), "mensajes");
  EXPECT_EQ(Folded("m[-nsa_|es"), "mensa ies");
  // Without such a word, the longest row first.
  EXPECT_EQ(Folded("te|_|__your"), "teu your");
  EXPECT_EQ(Folded("c/\\/\\/\\"), "cma");
  // A row written 3+ times is a stretched letter where the word with that
  // run cut to one is a term word; twice is "m" or "a" as before.
  config.SetTermWords({"can", "cam", "cara"});
  EXPECT_EQ(Folded("c/\\/\\/\\/\\n", config), "caaaan");
  EXPECT_EQ(Folded("c/\\/\\/\\/\\n"), "cmmn");
  EXPECT_EQ(Folded("c/\\/\\r/\\", config), "cmra");
  // Not where the row read once already makes one: "ma" of "mandas".
  config.SetTermWords({"andas", "mandas"});
  EXPECT_EQ(Folded("/\\/\\/\\nd/-\\s", config), "mandas");
}

TEST(DisguiseTableTest, SequencesLeaveNothingOver) {
  // "|_|" is "u", but not where it leaves a ")" over: "|_" "|)" is "ld".
  EXPECT_EQ(Folded("o|_|)"), "old");
  EXPECT_EQ(Folded("yo|_|"), "you");
  EXPECT_EQ(Folded("yo|_|?"), "you?");
  // Nor an underscore: "|_" "|_" is "ll".
  EXPECT_EQ(Folded("te|_|_ ca|_|_ me"), "tell call me");
  // A symbol that stands for a letter is no leftover but a letter to come:
  // "/\/\€" is "m" and "€" ("me"), not "a", "a" and "€".
  EXPECT_EQ(Folded("c/-\\/\\/\\\xe2\x82\xac|2a /\\/\\$"), "camera ms");
  // Before a word, it separates words.
  EXPECT_EQ(Folded("yo|_|_me"), "you me");
}

TEST(DisguiseTableTest, SequencesOfTwoReadingsAreReadBothWays) {
  // The second reading, as the Engine builds it.
  FoldConfig second = DefaultFoldConfig();
  auto leet = second.leet();
  for (const auto& [from, to] : FoldConfig::AlternateLeet()) leet[from] = to;
  second.SetLeet(leet);
  second.ReadSequencesAlternately();
  // "|>" is "p", or "d"; "|o" and "|*" are "p", or "l" and what follows.
  EXPECT_EQ(Folded("|>ic gra|>e"), "pic grape");
  EXPECT_EQ(Folded("|>ic gra|>e", second), "dic grade");
  EXPECT_EQ(Folded("|oic |ove"), "pic pve");
  EXPECT_EQ(Folded("|ove", second), "love");
  // Letters for a letter only in the second reading: "phone" stays.
  EXPECT_EQ(Folded("phone vvhat"), "phone vvhat");
  EXPECT_EQ(Folded("phun vvhat", second), "fun what");
  const FoldConfig first = DefaultFoldConfig();
  EXPECT_TRUE(first.HasAlternateSequence("phun"));
  EXPECT_TRUE(first.HasAlternateSequence("gra|>e"));
  EXPECT_FALSE(first.HasAlternateSequence("how old are you"));
  // Rows are looked for by their first two bytes, anywhere.
  EXPECT_TRUE(first.HasAlternateSequence("vv"));
  EXPECT_TRUE(first.HasAlternateSequence("a )("));
  EXPECT_FALSE(first.HasAlternateSequence("pizza park 5pm v | ) p"));
  EXPECT_FALSE(first.HasAlternateSequence("p"));
  EXPECT_FALSE(first.HasAlternateSequence(""));
}

TEST(DisguiseTableTest, BothReadingsReadTermWords) {
  const std::vector<std::string> words = {"location", "pick",  "id", "pay",
                                          "dont",     "grade", "ill"};
  FoldConfig first = DefaultFoldConfig();
  first.SetTermWords(words);
  // The second reading, as the Engine builds it: with the term words too.
  FoldConfig second = DefaultFoldConfig();
  auto leet = second.leet();
  for (const auto& [from, to] : FoldConfig::AlternateLeet()) leet[from] = to;
  second.SetLeet(leet);
  second.ReadSequencesAlternately();
  second.SetTermWords(words);
  // "|o" is "p" first; read as typed, "|" is "l" and the other "|" the "i"
  // of the term word.
  EXPECT_EQ(Folded("my |ocat|on", first), "my pcatpn");
  EXPECT_EQ(Folded("my |ocat|on", second), "my location");
  EXPECT_EQ(Folded("|o<a+ion", second), "location");
  // A letter a stand-in of one meaning made ("!" is "i") may be the other
  // in either reading: "!l!" is "ill" beside "|ocat|on".
  EXPECT_EQ(Folded("!l! |ocat|on", second), "ill location");
  EXPECT_EQ(Folded("!l!", first), "ill");
  // "|<" is "k", or "|" and "<".
  EXPECT_EQ(Folded("|<now"), "know");
  EXPECT_EQ(Folded("p|<k", second), "pick");
  // A row that is a letter both ways reads as the term word it makes: "|>"
  // is "p" in "|oay" but "d" in "i|>" and "|>ont".
  EXPECT_EQ(Folded("i|> |oay |>ont", first), "id pay dont");
  EXPECT_EQ(Folded("gra|>e", first), "grade");
  // Only stand-ins change: letters as typed, and words of no term, stay.
  EXPECT_EQ(Folded("grape ip", first), "grape ip");
  EXPECT_EQ(Folded("gra|>es", first), "grapes");
  EXPECT_EQ(Folded("p|<ed", second), "p|<ed");
}

TEST(DisguiseTableTest, SequencesMapToTheirOriginalBytes) {
  const FoldUnits units = FoldedUnits("|-|i");
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].c, 'h');
  EXPECT_EQ(units[0].begin, 0u);
  EXPECT_EQ(units[0].end, 3u);
}

TEST(DisguiseTableTest, ApostrophesOrNoneAreOneWord) {
  EXPECT_EQ(Folded("don't"), "dont");
  EXPECT_EQ(Folded("don\u2019t"), "dont");
  EXPECT_EQ(Folded("don\u02bct"), "dont");
  EXPECT_EQ(Folded("don`t let's"), "dont lets");
  EXPECT_EQ(FoldsOf("don\u2019t"), kFoldSpacing);
  // Beside a mask too: "do*'t" is "do*t", which the masked view reads.
  EXPECT_EQ(Folded("do*'t"), "do*t");
  EXPECT_EQ(Folded("i\u2019#l tell"), "i#l tell");
  // Quotes around words stay.
  EXPECT_EQ(Folded("'hi' rock 'n' roll"), "'hi' rock 'n' roll");
  EXPECT_EQ(Folded("it''s"), "it''s");
  // A sequence after an apostrophe is the letter after it, though it
  // starts with one ("'|'" is "t").
  EXPECT_EQ(Folded("don\u2019'|' don'-|-"), "dont dont");
  EXPECT_EQ(Folded("'|' it' -|-"), "t it' t");
}

TEST(DisguiseTableTest, SeparatorsBetweenWordsAreSpaces) {
  EXPECT_EQ(Folded("how_old_are_you"), "how old are you");
  EXPECT_EQ(Folded("_hi_ __init__"), "_hi_ __init__");
  EXPECT_EQ(Folded("send\U0001F600me\U0001F600\U0001F600pic"),
            "send me pic");
  EXPECT_EQ(Folded("hi \U0001F600"), "hi \U0001F600");
  EXPECT_EQ(FoldsOf("how_old"), kFoldSpacing);
  // An apostrophe among separators is one separator with them: the letters
  // around it are spaced out ("w_h_a_t_'_s"), or an emoji sits beside it.
  EXPECT_EQ(Folded("t_'_s"), "t s");
  EXPECT_EQ(Folded("t_\u2019_s"), "t s");
  EXPECT_EQ(Folded("what\U0001F600\u2019s"), "what s");
  EXPECT_EQ(FoldsOf("t_'_s"), kFoldSpacing);
  // An emoji that NFKC spells with a CJK letter is an emoji all the same.
  EXPECT_EQ(Folded("d\U0001F236o y\U0001F250u"), "d o y u");
  EXPECT_EQ(Folded("\u6709\u5F97"), "\u6709\u5F97");
}

TEST(DisguiseTableTest, LoneDigitsStandForOneLetterWordsPhrasesHave) {
  FoldConfig config = DefaultFoldConfig();
  EXPECT_EQ(Folded("send me 4 pic", config), "send me 4 pic");
  config.alone_letters = 1u << ('a' - 'a');
  EXPECT_EQ(Folded("send me 4 pic", config), "send me a pic");
  EXPECT_EQ(Folded("send me 1 pic", config), "send me 1 pic");  // No "i".
  EXPECT_EQ(Folded("44 5", config), "44 5");
  // So do lone symbols: "@" for "a", "!" and "|" for "i".
  EXPECT_EQ(Folded("send me @ pic", config), "send me a pic");
  EXPECT_EQ(Folded("! want | see", config), "! want | see");  // No "i".
  config.alone_letters |= 1u << ('i' - 'a');
  EXPECT_EQ(Folded("! want | see", config), "i want i see");
  EXPECT_EQ(Folded("!! @@", config), "!! @@");
}

TEST(DisguiseTableTest, APipeEndsATermWordOfFiveOrBesideAnotherStandIn) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"school", "call", "will", "still", "hell", "ill"});
  // "|" reads "i" first; the word it ends takes "l" where that spells a
  // term word.
  EXPECT_EQ(Folded("r u $t!|| in schoo|", config), "r u still in school");
  EXPECT_EQ(Folded("<al| wi|| |l|", config), "call will ill");
  // After a short word, with no other stand-in, a pipe stays a pipe.
  EXPECT_EQ(Folded("hel| wil| ca|", config), "hel| wil| ca|");
  // So it does where no term word is made, or with no term words at all.
  EXPECT_EQ(Folded("menu| schoo|", DefaultFoldConfig()), "menu| schoo|");
  EXPECT_EQ(Folded("|l |", config), "il |");
}

TEST(DisguiseTableTest, ShortCodesKeepTheirDigits) {
  EXPECT_EQ(Folded("a55-123"), "a55-123");
  EXPECT_EQ(Folded("ticket a55 123"), "ticket a55 123");
  EXPECT_EQ(Folded("room 4b5-2"), "room 4b5-2");
  // A code longer than 7 characters in all, of short parts.
  EXPECT_EQ(Folded("flight 451-u-99"), "flight 451-u-99");
  EXPECT_EQ(Folded("serial 013-4sl-54"), "serial 013-4sl-54");
  EXPECT_EQ(Folded("p1c 2 me"), "pic 2 me");
  // Leetspeak beside no digits, or longer than a code, still folds.
  EXPECT_EQ(Folded("a55 hole"), "ass hole");
  EXPECT_EQ(Folded("s3nd 2 pics"), "send 2 pics");
}

TEST(DisguiseTableTest, ANumberThatSpellsATermWordMakesNoCode) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"do", "you", "go", "to"}, {"do you", "you go", "go to"});
  // "70" is "to" and "60" is "go" (FoldConfig::term_stand_ins()), so the
  // word beside them is leetspeak, not a code ("a55 123"); the digits
  // themselves are read by the chat-speak fold.
  EXPECT_EQ(Folded("do you 6o 70", config), "do you go 70");
  EXPECT_EQ(Folded("do you 60 t0", config), "do you 60 to");
  // Other numbers still make codes, with the term words or without.
  EXPECT_EQ(Folded("ticket a55 123", config), "ticket a55 123");
  EXPECT_EQ(Folded("room 4b 12", config), "room 4b 12");
  EXPECT_EQ(Folded("6o 70", DefaultFoldConfig()), "6o 70");
  EXPECT_EQ(Folded("a55-70", config), "a55-70");
  // Nor a number's cue word ("at 12"), whose number stays a number.
  EXPECT_EQ(Folded("i live 4t 12 oak", config), "i live at 12 oak");
  EXPECT_EQ(Folded("room 4b 12", config), "room 4b 12");
}

TEST(DisguiseTableTest, AStretchedNumberReadsAsItsStandInWordBesideItsPair) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"do", "you", "go", "to", "so"},
                      {"do you", "you go", "go to"});
  // "700000" cut to "70" is "to", after "go" (stretched too): each run of
  // one digit takes its letter, for the squeezed view to cut.
  EXPECT_EQ(Folded("you go 700000", config), "you go tooooo");
  EXPECT_EQ(Folded("g0000 7000", config), "goooo tooo");
  // Numbers stay: not stretched, no pair, a number beside, or a cue word.
  for (const char* text : {"go 7000 12", "go 1000", "you 7000", "go 7707",
                           "5000 go", "at 7000", "go 770"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
}

TEST(DisguiseTableTest, ALoneDigitThatReadsAsATermWordIsLeftForIt) {
  FoldConfig config = DefaultFoldConfig();
  config.alone_letters = 1u << ('a' - 'a');
  config.SetEquivalences({{"ur", "your"}});
  config.SetTermWords(
      {"so", "mature", "for", "your", "age", "send", "me", "a", "pic"},
      {"so mature", "mature for", "for your", "your age", "send me", "me a",
       "a pic"});
  // "4" is "for" between words of a phrase that has "for" beside them
  // (FoldConfig::EquivalentOf()), through an equivalence too ("ur").
  EXPECT_EQ(Folded("so mature 4 ur age", config), "so mature 4 ur age");
  EXPECT_EQ(Folded("mature, 4 your age", config), "mature, 4 your age");
  // Elsewhere it is the one-letter word "a" as before, and a number after a
  // number's cue word or beside a number stays one.
  EXPECT_EQ(Folded("send me 4 pic", config), "send me a pic");
  EXPECT_EQ(Folded("so 4 pic", config), "so a pic");
  EXPECT_EQ(Folded("at 4 your", config), "at a your");
  EXPECT_EQ(Folded("12 4 your", config), "12 a your");
  // Where "a" makes a pair of a phrase too, the letter wins.
  config.SetTermWords({"just", "for", "you", "a", "number"},
                      {"just for", "for you", "just a", "a number"});
  EXPECT_EQ(Folded("just 4 number", config), "just a number");
  EXPECT_EQ(Folded("only 4 you", config), "only 4 you");
}

TEST(DisguiseTableTest, ARowAfterDigitsReadsWhereTheTokenSpellsATermWord) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"go", "to", "so"}, {"go to"});
  // No letter yet, so the row needs one; the digits and its letter spell a
  // term word: "7[]" is "to".
  EXPECT_EQ(Folded("go 7[]", config), "go to");
  EXPECT_EQ(Folded("go 7()", config), "go to");
  // Elsewhere they stay: no term word, or no term words at all.
  EXPECT_EQ(Folded("1() 10[] 12() 7[]5", config), "1() 10[] 12() 7[]5");
  EXPECT_EQ(Folded("go 7[]", DefaultFoldConfig()), "go 7[]");
}

TEST(DisguiseTableTest, ARowEndingInASeparatorLeavesAOneLetterWord) {
  FoldConfig config = DefaultFoldConfig();
  config.alone_letters = 1u << ('i' - 'a');
  config.SetTermWords({"i", "will", "pay", "you", "lets", "live"},
                      {"i will", "will pay", "pay you"});
  // "|_" opening a token, before a word that the "i" it stands for alone
  // makes a pair of a phrase with, is "|" and a separator.
  EXPECT_EQ(Folded("|_will_pay_you", config), "i will pay you");
  // Elsewhere it is "l": a term word ("|_ets"), or no pair.
  EXPECT_EQ(Folded("|_ets |_ive |_lamo |_pay", config), "lets live llamo lpay");
  EXPECT_EQ(Folded("a|_will", config), "alwill");
}

TEST(DisguiseTableTest, RulesetRowsCanBeReplaced) {
  FoldConfig config = DefaultFoldConfig();
  config.SetDisguises({});
  EXPECT_EQ(Folded("don't |-|i", config), "don't |-|i");
  const Disguise rows[] = {{"~~", 'w', kAnywhere, kFoldLeetspeak, 0}};
  config.SetDisguises(rows);
  EXPECT_EQ(Folded("~~hat", config), "what");
}

TEST(DisguiseTableTest, TokensOfSymbolsAndDigitsReadTermWords) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"is", "so", "else", "as"});
  // No letter: the digits are letters as the symbols are, where the token
  // spells a term word.
  EXPECT_EQ(Folded("!5 it", config), "is it");
  EXPECT_EQ(Folded("€|5€ ok", config), "else ok");
  // Sums and numbers stay: a digit first, or a currency sign before digits.
  EXPECT_EQ(Folded("1$ 4$ 5€", config), "1$ 4$ 5€");
  EXPECT_EQ(Folded("$0 $5 €5", config), "$0 $5 €5");
  // And a token that spells no term word.
  EXPECT_EQ(Folded("!7 +1", config), "!7 +1");
  // A token of symbols only reads as its term word too, though no other
  // fold changed the text: "!" may be "l" ("lets").
  config.SetTermWords({"lets", "meet"});
  EXPECT_EQ(Folded("!\u20ac+$ meet", config), "lets meet");
  EXPECT_EQ(Folded("!?+$ meet !!!", config), "!?+$ meet !!!");
}

TEST(DisguiseTableTest, AShortWordEndsInABarWhereItMakesAPhrasePair) {
  // The second reading, where "|" is "l".
  FoldConfig config = DefaultFoldConfig();
  auto leet = config.leet();
  for (const auto& [from, to] : FoldConfig::AlternateLeet()) leet[from] = to;
  config.SetLeet(leet);
  config.ReadSequencesAlternately();
  config.SetTermWords({"video", "call", "me"}, {"video call", "call me"});
  EXPECT_EQ(Folded("video cal|", config), "video call");
  EXPECT_EQ(Folded("cal| me", config), "call me");
  // Alone, or beside a word it makes no pair with, it is punctuation.
  EXPECT_EQ(Folded("cal|", config), "cal|");
  EXPECT_EQ(Folded("a cal| now", config), "a cal| now");
  EXPECT_EQ(Folded("video, cal|", config), "video, cal|");
}

}  // namespace
}  // namespace watchword
