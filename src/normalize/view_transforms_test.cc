#include "src/normalize/view_transforms.h"

#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/normalize/fold.h"
#include "tests/testing/fold_util.h"
#include "watchword/normalizer.h"

namespace watchword {
namespace {

using ::watchword::testing::DefaultFoldConfig;
using ::watchword::testing::Folded;
using ::watchword::testing::FoldedUnits;

std::string Encoded(const FoldUnits& units) {
  FoldedView view;
  EncodeView(units, &view);
  return view.text;
}

std::string Squeezed(const std::string& text) {
  FoldUnits out;
  if (!SqueezeRepeats(FoldedUnits(text), /*force=*/false, &out)) {
    return "<none>";
  }
  return Encoded(out);
}

std::string Joined(const std::string& text, bool keep_numbers = false) {
  FoldUnits out;
  TransformScratch scratch;
  if (!JoinSpacedLetters(FoldedUnits(text), DefaultFoldConfig(), &scratch,
                         &out, keep_numbers)) {
    return "<none>";
  }
  return Encoded(out);
}

// Joined() with `config`, and unless `read` is false its term words read
// after the join (ReadJoinedTermWords()); "<none>" if nothing was joined.
std::string JoinedTermWords(const std::string& text, const FoldConfig& config,
                            bool keep_word_spaces = false, bool read = true) {
  FoldUnits out;
  TransformScratch scratch;
  if (!JoinSpacedLetters(FoldedUnits(text, config), config, &scratch, &out,
                         /*keep_numbers=*/false, keep_word_spaces)) {
    return "<none>";
  }
  if (read) ReadJoinedTermWords(config, &out);
  return Encoded(out);
}

// Whether JoinSpacedLetters() says `text` has a run with a number in it.
bool JoinedNumber(const std::string& text) {
  FoldUnits out;
  TransformScratch scratch;
  JoinSpacedLetters(FoldedUnits(text), DefaultFoldConfig(), &scratch, &out);
  return scratch.joined_number;
}

// The folded view with DropInWordSeparators() applied, or "<none>".
std::string Separated(const std::string& text) {
  FoldUnits units = FoldedUnits(text);
  const bool has = HasInWordSeparator(units);
  if (DropInWordSeparators(&units) != has) return "<disagree>";
  if (!has) return "<none>";
  return Encoded(units);
}

// The folded view with word equivalences applied, or "<none>". Uses
// *scratch if non-null, else a scratch of its own.
std::string Equivalent(const std::string& text, const FoldConfig& config,
                       TransformScratch* scratch = nullptr) {
  TransformScratch own;
  FoldUnits out;
  if (!ApplyEquivalences(FoldedUnits(text, config), config,
                         scratch != nullptr ? scratch : &own, &out)) {
    return "<none>";
  }
  return Encoded(out);
}

TEST(ViewTransformsTest, SeparatorsInsideWordsAreDroppedInTheirOwnView) {
  // The folded view reads an emoji between letters as a space.
  EXPECT_EQ(Encoded(FoldedUnits("se\U0001F600nd me")), "se nd me");
  EXPECT_EQ(Separated("se\U0001F600nd me"), "send me");
  EXPECT_EQ(Separated("how\U0001F600old\U0001F525are"), "howoldare");
  EXPECT_EQ(Separated("$2\U0001F600\U0001F525" "0 bucks"), "$20 bucks");
  EXPECT_EQ(Separated("se_nd"), "send");
  // So is an emoji between two symbols, which no word character beside
  // made a space: "|⚾$" may be "is" once whole.
  EXPECT_EQ(Separated("|\u26BE$ ok"), "|$ ok");
  // Real spaces, and emoji beside one, stay.
  EXPECT_EQ(Separated("send me \U0001F600 now"), "<none>");
  EXPECT_EQ(Separated("ok | \u26BE$"), "<none>");
  EXPECT_EQ(Separated("send me"), "<none>");
  // The dropped emoji's bytes belong to the letter before it.
  FoldUnits units = FoldedUnits("e\U0001F600n");
  ASSERT_TRUE(DropInWordSeparators(&units));
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].begin, 0u);
  EXPECT_EQ(units[0].end, 5u);
  EXPECT_TRUE(units[0].folds & kFoldSpacing);
  EXPECT_EQ(units[1].begin, 5u);
}

// Separated(), then ReadStandIns().
std::string SeparatedAndRead(const std::string& text) {
  FoldUnits units = FoldedUnits(text);
  if (!DropInWordSeparators(&units)) return "<none>";
  ReadStandIns(DefaultFoldConfig(), &units);
  return Encoded(units);
}

TEST(ViewTransformsTest, StandInsBesideSeparatorsAreReadOnceTheWordIsWhole) {
  // A separator beside a stand-in is a space in the folded view, as beside
  // a letter, where the stand-in touches a word character.
  EXPECT_EQ(Encoded(FoldedUnits("$\U0001F30Aend")), "$ end");
  EXPECT_EQ(Encoded(FoldedUnits("$end_m\u20AC_a_p1c")), "send me a pic");
  // ("@" alone is "a" where a phrase needs it; here none does.)
  EXPECT_EQ(Encoded(FoldedUnits("s3nd_m3_@_p1c")), "send me @ pic");
  // Once the separator is dropped, the stand-in is read in its word.
  EXPECT_EQ(SeparatedAndRead("$\U0001F30Aend"), "send");
  EXPECT_EQ(SeparatedAndRead("5\U0001FA733n\U0001F690d"), "send");
  EXPECT_EQ(SeparatedAndRead("m\U0001F486\u20AC"), "me");
  // Through stand-ins and separators to a word ("<😀#😀at" of "chat").
  EXPECT_EQ(Encoded(FoldedUnits("<\U0001F3B1#\U0001F3D1at")), "< # at");
  // An "_" between single characters separates them, though "_|" is "j"
  // and "|_" is "l" elsewhere; "|_|" alone is still "u".
  EXPECT_EQ(Encoded(FoldedUnits("p_|_e_a_s_e")), "p | e a s e");
  EXPECT_EQ(Encoded(FoldedUnits("ok |_| there")), "ok u there");
  // Symbols with no word character beside them stay: emoticons, prices.
  for (const char* text : {"@_@", "$_$", "^_^", "+_+ ok", "$5\U0001F600"}) {
    EXPECT_EQ(Encoded(FoldedUnits(text)), text);
    EXPECT_EQ(SeparatedAndRead(text), "<none>") << text;
  }
}

TEST(ViewTransformsTest, StretchedStandInsSqueezeToOneWithAConfig) {
  const FoldConfig& config = DefaultFoldConfig();
  auto squeezed_and_read = [&](const std::string& text) -> std::string {
    FoldUnits out;
    if (!SqueezeRepeats(FoldedUnits(text), /*force=*/false, &out, &config)) {
      return "<none>";
    }
    ReadStandIns(config, &out);
    return Encoded(out);
  };
  EXPECT_EQ(squeezed_and_read("thi$$$$$"), "this");
  EXPECT_EQ(squeezed_and_read("m\u20AC\u20AC\u20AC"), "me");
  EXPECT_EQ(squeezed_and_read("snapch@@@+"), "snapchat");
  // Only with a config, and only runs of three: "c++" stays.
  EXPECT_EQ(Squeezed("thi$$$$$"), "<none>");
  EXPECT_EQ(squeezed_and_read("c++ rocks"), "<none>");
  // Digits are a number; a symbol read nowhere stays as typed.
  EXPECT_EQ(squeezed_and_read("1000 bucks"), "<none>");
  // SqueezeStandIns() cuts the stand-ins alone, so that their word is
  // whole when read: "schoo|||" is "schoo|".
  FoldUnits cut;
  ASSERT_TRUE(SqueezeStandIns(FoldedUnits("schoo||| ok"), config, &cut));
  EXPECT_EQ(Encoded(cut), "schoo| ok");
  EXPECT_FALSE(SqueezeStandIns(FoldedUnits("sooo $$$ ok!!!"), config, &cut));
  EXPECT_TRUE(cut.empty());
  EXPECT_EQ(squeezed_and_read("wow!!! $$$"), "<none>");
  EXPECT_EQ(squeezed_and_read("wow!!! a$$$"), "wow!!! as");
}

TEST(ViewTransformsTest, StretchedLettersSqueezeEveryDoubleLetterToOne) {
  EXPECT_EQ(Squeezed("sennnnd"), "send");
  // Once one letter is stretched, every double letter is cut, as in
  // phrases (SqueezePhrase), so "cool" and "dontttt telll" meet their terms.
  EXPECT_EQ(Squeezed("cooooool book"), "col bok");
  // Real double letters alone are no stretch: "good" never meets "god".
  EXPECT_EQ(Squeezed("good book"), "<none>");
  // Digits are not letters.
  EXPECT_EQ(Squeezed("1000"), "<none>");
  // Masks after a letter hide stretched letters: cut to one with the rest,
  // but no stretch of their own; masks opening a word, and sums, stay.
  EXPECT_EQ(Squeezed("m****et upppp"), "m*et up");
  EXPECT_EQ(Squeezed("f**k ** 2**8 upppp"), "f*k ** 2**8 up");
  EXPECT_EQ(Squeezed("m****et"), "<none>");
}

TEST(ViewTransformsTest, JoinsRunsOfSingleLettersOnly) {
  EXPECT_EQ(Joined("s e n d pics"), "send pics");
  EXPECT_EQ(Joined("s.e.n.d"), "send");
  EXPECT_EQ(Joined("s-e-n-d me"), "send me");
  EXPECT_EQ(Joined("s 🙂 e 🙂 n 🙂 d"), "send");
  // A row of emoji is one separator, however long: "g. 👠🚷i" as "g. 👠i".
  EXPECT_EQ(Joined("g. 👠🚷i. f. t"), "gift");
  EXPECT_EQ(Joined("s 🙂🙂🙂🙂 e 🙂 n 🙂 d"), "send");
  // Other separators still count one each: four end a run.
  EXPECT_EQ(Joined("g. -- i. f. t"), "g. -- ift");
  EXPECT_EQ(Joined("g. 🙂-🙂 i. f. t"), "g. 🙂-🙂 ift");
  // Ordinary neighbouring words never join.
  EXPECT_EQ(Joined("from growing"), "<none>");
  EXPECT_EQ(Joined("u r ok"), "<none>");  // Two letters are not a run.
}

TEST(ViewTransformsTest, TwoLettersJoinWhereTheySpellAChatSpeakWord) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences(
      {{"bf", "boyfriend"}, {"u", "you"}, {"ur", "your"}, {"yr", "your"}});
  auto joined = [&](const std::string& text) {
    FoldUnits out;
    TransformScratch scratch;
    if (!JoinSpacedLetters(FoldedUnits(text, config), config, &scratch,
                           &out)) {
      return std::string("<none>");
    }
    return Encoded(out);
  };
  for (const char* text : {"hey b f ok", "hey b-f ok", "hey b. f ok"}) {
    EXPECT_EQ(joined(text), "hey bf ok") << text;
    EXPECT_TRUE(MayJoin(Folded(text, config), config)) << text;
  }
  // Not letters that are words alone ("u", a vowel), nor letters a comma
  // lists, nor two letters of no word, nor without the equivalence.
  for (const char* text : {"u r ok", "y r ok", "b, f", "b x", "plan b for"}) {
    EXPECT_EQ(joined(text), "<none>") << text;
    EXPECT_FALSE(MayJoin(Folded(text, config), config) &&
                 joined(text) != "<none>")
        << text;
  }
  EXPECT_FALSE(MayJoin("hey b x ok", config));
  EXPECT_FALSE(MayJoin("u r", config));
  EXPECT_EQ(Joined("b f"), "<none>");
  // Three or more are a run as before: "a b f" is "abf".
  EXPECT_EQ(joined("a b f"), "abf");
}

TEST(ViewTransformsTest, JoinedRunsSpanAnApostropheBetweenTheirLetters) {
  EXPECT_EQ(Joined("d.o.n.'.t"), "dont");
  EXPECT_EQ(Joined("d-o-n\u2019-t"), "dont");
  // U+02BC is a letter (Lm), but an apostrophe here all the same.
  EXPECT_EQ(Joined("w.h.a.t\u02bc.s up"), "whats up");
  // Up to three separators on either side of it.
  EXPECT_EQ(Joined("w. h. a. t. '. s"), "whats");
  EXPECT_EQ(Joined("w_h_a_t_'_s"), "whats");
  // Two letters are a run around an apostrophe.
  EXPECT_EQ(Joined("i.'.m home"), "im home");
  EXPECT_EQ(Joined("i-\u2019-d pay"), "id pay");
  // An apostrophe inside a word joins nothing.
  EXPECT_EQ(Joined("don't go"), "<none>");
  EXPECT_EQ(Joined("d . . . ' . . . s"), "<none>");
}

// JoinSpacedLetters() with keep_word_spaces, or "<none>"; *words set to
// scratch.joined_words of the first reading.
std::string JoinedWords(const std::string& text, bool* words) {
  FoldUnits out;
  TransformScratch scratch;
  JoinSpacedLetters(FoldedUnits(text), DefaultFoldConfig(), &scratch, &out);
  *words = scratch.joined_words;
  if (!JoinSpacedLetters(FoldedUnits(text), DefaultFoldConfig(), &scratch,
                         &out, false, /*keep_word_spaces=*/true)) {
    return "<none>";
  }
  return Encoded(out);
}

TEST(ViewTransformsTest, GapsBetweenDottedWordsMayStay) {
  // Dotted within words, spaced between them: the spaces may be words'
  // edges, in a second reading.
  bool words = false;
  EXPECT_EQ(Joined("u s.h.o.u.l.d.n\u02bc.t t.e.l.l"), "ushouldnttell");
  EXPECT_EQ(JoinedWords("u s.h.o.u.l.d.n\u02bc.t t.e.l.l", &words),
            "u shouldnt tell");
  EXPECT_TRUE(words);
  EXPECT_EQ(JoinedWords("s. e. n. d m. e a p. i. c", &words), "send me a pic");
  EXPECT_TRUE(words);
  EXPECT_EQ(JoinedWords("s-t-r-i-c-t? d-o", &words), "strict? do");
  EXPECT_TRUE(words);
  // Emoji between dotted words are their edges too ("s📼m"), though the
  // folds made them the space; "_" between letters is no word's edge.
  EXPECT_EQ(JoinedWords("h.e.r.e.s\U0001F4FCm.y\U0001FAE8s.n.a.p", &words),
            "heres my snap");
  EXPECT_TRUE(words);
  EXPECT_EQ(JoinedWords("s.e.n.d_m.e", &words), "sendme");
  EXPECT_FALSE(words);
  // Spaced throughout, the run is one.
  EXPECT_EQ(JoinedWords("s e n d m e", &words), "sendme");
  EXPECT_FALSE(words);
}

TEST(ViewTransformsTest, UnderscoresBesideMarksSeparateSpacedOutLetters) {
  // The folds make "_" a space only between two letters; beside an
  // apostrophe or a mark it stays, and still separates.
  EXPECT_EQ(Joined("w.h,a_t_\u2019/s u~r"), "whatsur");
  EXPECT_EQ(Joined("c_o_m_e,_d_o_n_\u2019_t"), "comedont");
  // Words joined by underscores stay words.
  EXPECT_EQ(Joined("snake_case_name"), "<none>");
  EXPECT_EQ(Joined("my_id_is,_ok"), "<none>");
  EXPECT_EQ(Joined("a_,b"), "<none>");  // Two letters are not a run.
}

TEST(ViewTransformsTest, JoinedRunsFoldSingleLeetCharacters) {
  EXPECT_EQ(Joined("s 3 n d"), "send");
  EXPECT_EQ(Joined("p ! c"), "pic");
  // A run needs two real letters: numbers stay numbers.
  EXPECT_EQ(Joined("5 5 5 0 1 0 0"), "<none>");
  EXPECT_EQ(Joined("a 1 2"), "<none>");
  // Digits of a run may be a number ("1000", "grade 7") or letters ("5 3 4
  // t s", "c 0 0 l"): the run says so, and is joined either way.
  EXPECT_EQ(Joined("g i v e u 1 0 0 0 r o b u x"), "giveuiooorobux");
  EXPECT_EQ(Joined("g i v e u 1 0 0 0 r o b u x", true), "giveu1000robux");
  EXPECT_EQ(Joined("m y n u m b e r 5 5 5 0 1 0 0", true), "mynumber5550100");
  EXPECT_EQ(Joined("5 3 4 t s"), "seats");
  EXPECT_TRUE(JoinedNumber("g i v e u 1 0 0 0 r o b u x"));
  EXPECT_TRUE(JoinedNumber("5 3 4 t s"));
  EXPECT_EQ(Joined("s c h 0 0 l"), "school");
  EXPECT_EQ(Joined("s c h 0 0 l", true), "sch00l");
  EXPECT_EQ(Joined("g r a d e 7 a t l i n c o l n"), "gradetatlincoln");
  EXPECT_EQ(Joined("g r a d e 7 a t l i n c o l n", true), "grade7atlincoln");
  EXPECT_EQ(Joined("i l i v e a t 1 2 o a k", true), "iliveat12oak");
  EXPECT_TRUE(JoinedNumber("s c h 0 0 l"));
  EXPECT_TRUE(JoinedNumber("y e a r 8 a t"));
  EXPECT_FALSE(JoinedNumber("s e n d m e"));
  EXPECT_FALSE(JoinedNumber("1 0 0 0 a"));  // No run: one real letter.
  // A currency sign before a digit starts a number, not a word: "$" is no
  // "s" there, and the digits after it join.
  EXPECT_EQ(Joined("y o u $1 0 0 i f", true), "you100if");
  EXPECT_EQ(Joined("$ e n d"), "send");
}

TEST(ViewTransformsTest, JoinedLettersSpanTheirSeparators) {
  const FoldUnits units = FoldedUnits("xy s . e . n . d");
  FoldUnits out;
  TransformScratch scratch;
  ASSERT_TRUE(JoinSpacedLetters(units, DefaultFoldConfig(), &scratch, &out));
  FoldedView view;
  EncodeView(out, &view);
  ASSERT_EQ(view.text, "xy send");
  // "send" covers base bytes 3..16, separators included.
  EXPECT_EQ(view.begin[3], 3u);
  EXPECT_EQ(view.end[6], 16u);
  EXPECT_EQ(view.folds[4] & kFoldSpacing, kFoldSpacing);
}

// The joined view of `text` (or with `separated`, the view without its
// in-word separators), its look-alikes of the capital "I" read again in
// the words made whole (ReadCapitalIInWords()); "<none>" if there is no
// such view.
std::string WholeWithCapitalI(const std::string& text, bool separated) {
  const FoldConfig config = DefaultFoldConfig();
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units, out;
  FoldBase(text, base, config, &units);
  TransformScratch scratch;
  if (separated) {
    if (!DropInWordSeparators(&units)) return "<none>";
    out = units;
  } else if (!JoinSpacedLetters(units, config, &scratch, &out)) {
    return "<none>";
  }
  ReadCapitalIInWords(text, base, config, &out);
  return Encoded(out);
}

TEST(ViewTransformsTest, CapitalILookAlikesReadByTheWordTheirViewMakesWhole) {
  // Alone between separators, "І" (Cyrillic) or "Ι" (Greek) is "i" in the
  // folded view; in the word the joined view makes, small letters around
  // it make it an "l", as inside any word.
  EXPECT_EQ(Folded("\u0406_\u0435.t,\u0455"), "i e.t,s");
  EXPECT_EQ(WholeWithCapitalI("\u0406_\u0435.t,\u0455", false), "lets");
  EXPECT_EQ(WholeWithCapitalI("\u0441:\u0430_\u04c0~\u0406 ok", false),
            "call ok");
  EXPECT_EQ(WholeWithCapitalI("\u03f2,\u03b1_\u0399,\u0399", false), "call");
  // So once an emoji inside the word is dropped ("і🪥еt", "ϲα🪆ΙΙ").
  EXPECT_EQ(Folded("\u0406\U0001FAA5\u0435t"), "i et");
  EXPECT_EQ(WholeWithCapitalI("\u0406\U0001FAA5\u0435t", true), "let");
  EXPECT_EQ(WholeWithCapitalI("\u03f2\u03b1\U0001FA86\u0399\u0399", true),
            "call");
  EXPECT_EQ(WholeWithCapitalI("\uff45\U0001F6AD\uff4c\uff53", true), "els");
  // Among capitals it is still "i"; "I" itself is never a look-alike, and
  // genuine Cyrillic text keeps its letters.
  EXPECT_EQ(WholeWithCapitalI("\u0420.\u0406.\u0421 ok", false), "pic ok");
  EXPECT_EQ(WholeWithCapitalI("I_e.t,s", false), "iets");
  EXPECT_EQ(WholeWithCapitalI("\u0436.\u0406.\u0442.\u043e", false),
            "\u0436\u0456\u0442\u043e");
}

TEST(ViewTransformsTest, EquivalencesReplaceWholeWords) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}, {"r", "are"}});
  EXPECT_EQ(Equivalent("r u home", config), "are you home");
  EXPECT_EQ(Equivalent("run up", config), "<none>");  // Not inside words.
  const FoldUnits units = FoldedUnits("r u", config);
  FoldUnits out;
  TransformScratch scratch;
  ASSERT_TRUE(ApplyEquivalences(units, config, &scratch, &out));
  ASSERT_EQ(out.size(), 7u);  // "are you"
  EXPECT_EQ(out[0].begin, 0u);
  EXPECT_EQ(out[2].end, 1u);
  EXPECT_EQ(out[0].folds, kFoldChatSpeak);
  // ASCII words inside text of another script, and none there.
  EXPECT_EQ(Equivalent("привет r u", config), "привет are you");
  const FoldUnits cyrillic = FoldedUnits("привет как дела", config);
  FoldUnits unused;
  EXPECT_FALSE(ApplyEquivalences(cyrillic, config, &scratch, &unused));
  // Words of any script, and canonical words of any length.
  config.SetEquivalences({{"фото", "pic"}, {"pix", "фото"}});
  EXPECT_EQ(Equivalent("моё фото", config), "мое pic");
  EXPECT_EQ(Equivalent("send pix now", config), "send фото now");
  EXPECT_EQ(Equivalent("фотоаппарат", config), "<none>");
  // The scratch holds nothing a later call depends on.
  TransformScratch other;
  EXPECT_EQ(Equivalent("send pix now", config, &other), "send фото now");
  EXPECT_EQ(Equivalent("send pix now", config, &other), "send фото now");
}

// The folded view of ASCII `text` with word equivalences, by the ASCII
// fast path, or "<none>".
std::string AsciiEquivalent(const std::string& text, const FoldConfig& config) {
  NormalizedText base;
  Normalize(text, &base);
  FoldedView view, out;
  if (!FoldAscii(text, base, config, &view)) return "<not ascii>";
  if (!ApplyAsciiEquivalences(view, config, &out)) return "<none>";
  return out.text;
}

TEST(ViewTransformsTest, AmbiguousSpellingsReadAsTermWordsOnlyBetweenWords) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}});
  // Words of the phrases "send me for pics", "want to see you", "what is
  // your age", "wanna go".
  config.SetTermWords({"send", "me", "for", "pics", "want", "to", "see", "you",
                       "what", "is", "your", "age", "wanna", "go"},
                      {"send me", "me for", "for pics", "want to", "to see",
                       "see you", "what is", "is your", "your age",
                       "wanna go"});
  EXPECT_EQ(config.term_stand_ins().at("4"), "for");
  EXPECT_EQ(config.term_stand_ins().at("70"), "to");
  EXPECT_EQ(config.term_stand_ins().at("463"), "age");
  EXPECT_FALSE(config.term_stand_ins().contains("da"));  // No term has "the".
  for (auto* equivalent : {+[](const std::string& t, const FoldConfig& c) {
                             return Equivalent(t, c);
                           },
                           +[](const std::string& t, const FoldConfig& c) {
                             return AsciiEquivalent(t, c);
                           }}) {
    EXPECT_EQ(equivalent("send me 4 pic", config), "send me for pic");
    // Only where the word it stands for and a neighbour are two words of
    // a phrase.
    EXPECT_EQ(equivalent("i have 463 points", config), "<none>");
    EXPECT_EQ(equivalent("vitamin c tablets", config), "<none>");
    EXPECT_EQ(equivalent("want 2 c u", config), "want to see you");
    EXPECT_EQ(equivalent("what 15 your 463 now", config),
              "what is your age now");
    EXPECT_EQ(equivalent("i wanna 90 home", config), "i wanna go home");
    EXPECT_EQ(equivalent("i 70 70 me", config), "<none>");  // No pair.
    EXPECT_EQ(equivalent("so wanna 90 15", config), "so wanna go 15");
    // Numbers stay numbers: at an edge, beside a number, after a word
    // that counts, or inside a token.
    EXPECT_EQ(equivalent("2 of them", config), "<none>");
    EXPECT_EQ(equivalent("what 15 12", config), "<none>");
    EXPECT_EQ(equivalent("room 463 please", config), "<none>");
    EXPECT_EQ(equivalent("asl 15 f", config), "<none>");
    EXPECT_EQ(equivalent("meet at 4pm", config), "<none>");
    EXPECT_EQ(equivalent("call 463 70 me", config), "<none>");
    EXPECT_EQ(equivalent("it was 4", config), "<none>");
  }
  // The ruleset's own equivalences win.
  config.SetEquivalences({{"4", "four"}});
  config.SetTermWords({"for", "me", "pic"});
  EXPECT_FALSE(config.term_stand_ins().contains("4"));
  EXPECT_EQ(Equivalent("send me 4 pic", config), "send me four pic");
}

TEST(ViewTransformsTest, DigitsForLettersOnlyInTermWordsNeedALetterAndAPhrase) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"plz", "please"}, {"cuz", "because"},
                          {"zz", "sleep"}, {"wiz", "wizard"}});
  config.SetTermWords({"please", "because", "dont", "tell", "zoom", "sleep"},
                      {"please dont"}, {"because"});
  // "2" for "z" in a chat-speak word that keeps a letter, whose word is a
  // term word; not in a term word itself.
  EXPECT_EQ(config.term_stand_ins().at("pl2"), "please");
  EXPECT_EQ(config.term_stand_ins().at("cu2"), "because");
  EXPECT_EQ(config.term_stand_ins().at("z2"), "sleep");
  EXPECT_FALSE(config.term_stand_ins().contains("22"));  // A number.
  EXPECT_FALSE(config.term_stand_ins().contains("wi2"));  // No term word.
  EXPECT_FALSE(config.term_stand_ins().contains("2oom"));
  for (auto* equivalent : {+[](const std::string& t, const FoldConfig& c) {
                             return Equivalent(t, c);
                           },
                           +[](const std::string& t, const FoldConfig& c) {
                             return AsciiEquivalent(t, c);
                           }}) {
    EXPECT_EQ(equivalent("pl2 dont", config), "please dont");
    EXPECT_EQ(equivalent("pl2 form", config), "<none>");  // No pair.
    // "because" is a phrase of its own: read anywhere.
    EXPECT_EQ(equivalent("ok cu2 i said", config), "ok because i said");
    EXPECT_EQ(equivalent("b12 a2 12b", config), "<none>");
  }
}

TEST(ViewTransformsTest, UnitsMapMonotonicallyIntoTheBaseView) {
  std::mt19937 rng(99);
  const std::vector<std::string> pieces = {
      "a", "l", "1", "!", "$", " ", ".", "ѕ", "е", "é", "\xe2\x80\x8b", "🙂",
      "привет", "x", "ooo", "\xff", "5", "@", "ß", "ﬁ"};
  TransformScratch scratch;  // Shared by every round, as a Scanner's is.
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int k = rng() % 12; k >= 0; --k) text += pieces[rng() % pieces.size()];
    NormalizedText base;
    Normalize(text, &base);
    FoldUnits units;
    FoldBase(text, base, DefaultFoldConfig(), &units);
    FoldUnits variants[3];
    SqueezeRepeats(units, /*force=*/true, &variants[0]);
    JoinSpacedLetters(units, DefaultFoldConfig(), &scratch, &variants[1]);
    if (!ApplyEquivalences(units, DefaultFoldConfig(), &scratch,
                           &variants[2])) {
      variants[2] = units;
    }
    for (const FoldUnits* u : {&units, &variants[0], &variants[1], &variants[2]}) {
      uint32_t last_begin = 0;
      for (const FoldUnit& unit : *u) {
        ASSERT_LT(unit.begin, unit.end) << text;
        ASSERT_LE(unit.end, base.text.size()) << text;
        ASSERT_GE(unit.begin, last_begin) << text;
        last_begin = unit.begin;
      }
    }
  }
}

// Every fold keeps a unit's kind in step with its character: the later
// folds trust it instead of asking ICU.
TEST(ViewTransformsTest, UnitKindsFollowTheirCharacters) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "a", "l", "1", "!", "|", "$", " ", ".", "*", "#", "ѕ", "е", "é",
      "e\u0301", "\u0301", "\xe2\x80\x8b", "🙂", "привет", "ооо", "ß", "ﬁ",
      "٣", "€", "ω", "Ꮪ", "𝐬", "_", "u", "ur", "x"};
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}, {"ur", "your"}, {"pix", "pic"}});
  TransformScratch scratch;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int k = rng() % 14; k >= 0; --k) {
      text += pieces[rng() % pieces.size()];
      if (rng() % 3 == 0) text += ' ';
    }
    NormalizedText base;
    Normalize(text, &base);
    FoldUnits units;
    FoldBase(text, base, config, &units);
    FoldUnits squeezed, joined, masked, equivalent, joined_squeezed;
    SqueezeRepeats(units, /*force=*/true, &squeezed);
    JoinSpacedLetters(units, config, &scratch, &joined);
    JoinSpacedLetters(squeezed, config, &scratch, &joined_squeezed);
    MaskView(units, &masked);
    if (!ApplyEquivalences(units, config, &scratch, &equivalent)) {
      equivalent.clear();
    }
    for (const FoldUnits* view :
         {&units, &squeezed, &joined, &joined_squeezed, &masked, &equivalent}) {
      for (const FoldUnit& unit : *view) {
        ASSERT_EQ(unit.kind, UnitKindOf(unit.c))
            << text << " U+" << std::hex << unit.c;
      }
    }
  }
}

TEST(ViewTransformsTest, MasksInsideWordsBecomeTheMaskCharacter) {
  FoldUnits out;
  ASSERT_TRUE(MaskView(FoldedUnits("p*c s#x *hugs* 5*3"), &out));
  FoldedView view;
  EncodeView(out, &view);
  // Emphasis stars around a word are not masks; between digits they are
  // (the regexes only give letters a mask).
  EXPECT_EQ(view.text, "p*c s*x *hugs* 5*3");
  EXPECT_EQ(view.folds[1], kFoldMask);
  EXPECT_EQ(view.folds[9], 0);
  // 2*2: harmless, no letter to mask.
  EXPECT_TRUE(MaskView(FoldedUnits("*hugs* and 2*2"), &out));
  EXPECT_FALSE(MaskView(FoldedUnits("*hugs*"), &out));
}

// The masked joined view of `text` under a vocabulary of `words`, or
// "<none>".
std::string MaskJoined(const std::string& text,
                       std::initializer_list<const char*> words) {
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  FoldUnits out;
  TransformScratch scratch;
  if (!JoinMaskedLetters(FoldedUnits(text), DefaultFoldConfig(), vocabulary,
                         &scratch, &out)) {
    return out.empty() ? "<none>" : "<none, but written>";
  }
  return Encoded(out);
}

TEST(ViewTransformsTest, MasksAmongSpacedLettersJoinIntoTermWords) {
  const auto words = {"send", "me", "a", "pic", "our", "little", "secret"};
  EXPECT_EQ(MaskJoined("s * n d m e a p * c", words), "s*nd me a p*c");
  EXPECT_EQ(MaskJoined("hey s.*.n.d m.e a p.*.c ok", words),
            "hey s*nd me a p*c ok");
  EXPECT_EQ(MaskJoined("o. *. r l. i. t. *. l. e", words), "o*r lit*le");
  EXPECT_EQ(MaskJoined("o:*_r l~i.t,t_*_e", words), "o*r litt*e");
  EXPECT_EQ(MaskJoined("o_*_r_l_i_t_t_*_e", words), "o*r litt*e");
  // The mask is a letter of the run, tagged; the spaces between the words
  // hold the separators.
  FoldUnits out;
  TransformScratch scratch;
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  ASSERT_TRUE(JoinMaskedLetters(FoldedUnits("p * c m e"), DefaultFoldConfig(),
                                vocabulary, &scratch, &out));
  ASSERT_EQ(Encoded(out), "p*c me");
  EXPECT_EQ(out[1].c, kMaskChar);
  EXPECT_TRUE(out[1].folds & kFoldMask);
  EXPECT_EQ(out[2].end, 5u);  // "c" ends where the space after it begins.
  EXPECT_EQ(out[3].begin, 5u);
  EXPECT_EQ(out[3].end, 6u);
}

TEST(ViewTransformsTest, NoMaskedJoinedViewWithoutAMaskAmongSpacedLetters) {
  const auto words = {"send", "me", "a", "pic"};
  // Masks inside words are the masked view's; spaced letters without a
  // mask are the joined view's; emphasis and sums are neither.
  EXPECT_EQ(MaskJoined("send me a p*c", words), "<none>");
  EXPECT_EQ(MaskJoined("s e n d m e a p i c", words), "<none>");
  EXPECT_EQ(MaskJoined("that was *so* good", words), "<none>");
  EXPECT_EQ(MaskJoined("2 * 3 = 6", words), "<none>");
  EXPECT_EQ(MaskJoined("rate it 5 * * * * *", words), "<none>");
  EXPECT_EQ(MaskJoined("see * below", words), "<none>");
  // A mask is no word's first or last letter; two letters and a mask
  // beside a word are no run.
  EXPECT_EQ(MaskJoined("a * b", words), "a *b");
  EXPECT_EQ(MaskJoined("u * me", words), "<none>");
  EXPECT_EQ(MaskJoined("s e n d p * c", {}), "<none>");
}

TEST(ViewTransformsTest, MaskedMatchPlausibility) {
  EXPECT_TRUE(MaskedMatchIsPlausible("p*c"));
  EXPECT_TRUE(MaskedMatchIsPlausible("s**d"));
  EXPECT_FALSE(MaskedMatchIsPlausible("***"));
  EXPECT_FALSE(MaskedMatchIsPlausible("*i*"));
  EXPECT_FALSE(MaskedMatchIsPlausible("pic"));
}

TEST(ViewTransformsTest, AsciiEquivalencesEqualTheGeneralPath) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"},
                          {"ur", "your"},
                          {"r", "are"},
                          {"pix", "pic"},
                          {"averyveryverylongwordthatisover32", "x"},
                          {"pq", "пк"}});  // A canonical word need not be ASCII.
  const std::vector<std::string> pieces = {
      "u", "U", "ur", "r", "pix", "p1x", "pq", "you", "a", "1", "s e n d", " ",
      ".", "_u", "u_", "uu", "*", "averyveryverylongwordthatisover32",
      "\xe2\x80\x8b"};
  std::mt19937 rng(11);
  TransformScratch scratch;
  int replaced = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    // Some texts with more candidate words than are noted one by one.
    for (int k = rng() % (round % 10 == 0 ? 80 : 10); k >= 0; --k) {
      text += pieces[rng() % pieces.size()];
      if (rng() % 2) text += ' ';
    }
    NormalizedText base;
    Normalize(text, &base);
    FoldedView fast, fast_equivalent, general;
    if (!FoldAscii(text, base, config, &fast)) continue;
    FoldUnits units, equivalent;
    FoldBase(text, base, config, &units);
    EncodeView(ApplyEquivalences(units, config, &scratch, &equivalent)
                     ? equivalent
                     : units,
               &general);
    const bool changed = ApplyAsciiEquivalences(fast, config, &fast_equivalent);
    replaced += changed;
    const FoldedView& matched = changed ? fast_equivalent : fast;
    ASSERT_EQ(matched.text, general.text) << text;
    ASSERT_EQ(matched.begin, general.begin) << text;
    ASSERT_EQ(matched.end, general.end) << text;
    ASSERT_EQ(matched.folds, general.folds) << text;
  }
  EXPECT_GT(replaced, 1000);  // The test met equivalences, not only misses.
}

// Word bytes are found eight at a time; every ASCII byte beside a word must
// end it exactly as the general path's word test does.
TEST(ViewTransformsTest, AsciiEquivalencesSeeEveryAsciiByteAsTheGeneralPathDoes) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}, {"r", "are"}});
  TransformScratch scratch;
  for (int b = 0x21; b < 0x7F; ++b) {
    const char c = static_cast<char>(b);
    for (std::string text : {std::string("aaaaaaa u") + c + "u " + c + "r bbbbbbbbb",
                             std::string("u") + c + "r" + c + c + "u" + c + "xyzxyzxyz"}) {
      NormalizedText base;
      Normalize(text, &base);
      FoldedView fast, replaced, general;
      ASSERT_TRUE(FoldAscii(text, base, config, &fast)) << text;
      FoldUnits units, equivalent;
      FoldBase(text, base, config, &units);
      EncodeView(ApplyEquivalences(units, config, &scratch, &equivalent)
                     ? equivalent
                     : units,
                 &general);
      const FoldedView& matched =
          ApplyAsciiEquivalences(fast, config, &replaced) ? replaced : fast;
      ASSERT_EQ(matched.text, general.text) << text;
      ASSERT_EQ(matched.begin, general.begin) << text;
      ASSERT_EQ(matched.folds, general.folds) << text;
    }
  }
}

TEST(ViewTransformsTest, AsciiEquivalencesReportWhatTheyReplaced) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}});
  NormalizedText base;
  Normalize("see u", &base);
  FoldedView view, out;
  ASSERT_TRUE(FoldAscii("see u", base, config, &view));
  ASSERT_TRUE(ApplyAsciiEquivalences(view, config, &out));
  EXPECT_EQ(out.text, "see you");
  EXPECT_THAT(out.begin, ::testing::ElementsAre(0, 1, 2, 3, 4, 4, 4));
  EXPECT_THAT(out.end, ::testing::ElementsAre(1, 2, 3, 4, 5, 5, 5));
  EXPECT_EQ(out.folds[5], kFoldChatSpeak);
  EXPECT_EQ(out.folds[0], 0);
  Normalize("see you soon", &base);
  ASSERT_TRUE(FoldAscii("see you soon", base, config, &view));
  EXPECT_FALSE(ApplyAsciiEquivalences(view, config, &out));
  config.enabled &= ~kFoldChatSpeak;
  Normalize("see u", &base);
  ASSERT_TRUE(FoldAscii("see u", base, config, &view));
  EXPECT_FALSE(ApplyAsciiEquivalences(view, config, &out));
}

// FoldConfig::MayBeEquivalent() rules words out before any hashing: never
// a word that has an equivalent, and most words that have none. The words
// of a text (ApplyAsciiEquivalences()) and the neighbours EquivalentOf()
// reads through their equivalences are ruled out by it alone.
TEST(ViewTransformsTest, EquivalenceFilterPassesEveryKey) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"},
                          {"ur", "your"},
                          {"r", "are"},
                          {"pix", "pics"},
                          {"gr8", "great"},
                          {"l8r", "later"},
                          {"plz", "please"}});
  config.SetTermWords({"you", "are", "to", "for", "see", "ate", "go", "at",
                       "send", "pics", "alone"},
                      {"you are", "go to"});
  ASSERT_FALSE(config.equivalences().empty());
  ASSERT_FALSE(config.term_stand_ins().empty());
  auto passes = [&](const std::string& w) {
    return config.MayBeEquivalent(static_cast<uint8_t>(w.front()),
                                  static_cast<uint8_t>(w.back()), w.size());
  };
  for (const auto& [word, to] : config.equivalences()) {
    EXPECT_TRUE(passes(word)) << word;
  }
  for (const auto& [word, to] : config.term_stand_ins()) {
    EXPECT_TRUE(passes(word)) << word;
  }
  // Ordinary chat words without an equivalent: most are ruled out.
  int passed = 0, words = 0;
  for (const std::string w :
       {"pizza", "game", "homework", "maybe", "late", "later", "dinner", "mum",
        "thanks", "bus", "test", "cool", "friday", "coming", "think", "today",
        "nice", "movie", "great", "after", "math", "tomorrow", "time", "said",
        "team", "park", "works", "what", "was", "can", "my", "ok", "lol"}) {
    if (config.equivalences().contains(w) ||
        config.term_stand_ins().contains(w)) {
      continue;
    }
    ++words;
    passed += passes(w);
  }
  EXPECT_GT(words, 25);
  EXPECT_LT(passed * 4, words);
}

// MayJoin() and MaySqueeze() read 8 or 64 bytes at a time; they must say
// what a byte-by-byte reading says, at every length and block boundary.
TEST(ViewTransformsTest, ByteChecksAgreeWithAByteByByteReading) {
  // With a word of two letters for SpellsPair(): "bf".
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"bf", "boyfriend"}});
  auto may_join = [&](const std::string& t) {
    auto blocks = [&](uint8_t c) -> int {
      return (c >> 7) | config.ascii_blocks()[c & 0x7F];
    };
    // Stand-ins only term words make letters ("(", "<") may be singles.
    auto single = [&](uint8_t c) -> bool {
      return blocks(c) || (c < 0x80 && c != ' ' && c != '_' &&
                           config.ascii_leet()[c] != 0);
    };
    int singles = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      singles += single(t[i]) && (i == 0 || !blocks(t[i - 1])) &&
                 (i + 1 == t.size() || !blocks(t[i + 1]));
    }
    if (singles != 2) return singles >= 3;
    for (char c : t) {
      if (config.ascii_joins()[c & 0x7F] == FoldConfig::kJoinDrop) return true;
    }
    std::string pair;
    for (size_t i = 0; i < t.size(); ++i) {
      if (single(t[i]) && (i == 0 || !blocks(t[i - 1])) &&
          (i + 1 == t.size() || !blocks(t[i + 1]))) {
        pair.push_back(t[i]);
      }
    }
    return config.SpellsPair(pair[0], pair[1]);
  };
  auto may_squeeze = [](const std::string& t) {
    for (size_t i = 0; i + 2 < t.size(); ++i) {
      if (t[i] == t[i + 1] && t[i] == t[i + 2] &&
          ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))) {
        return true;
      }
    }
    return false;
  };
  // Mostly spaces and letters, so that single letters and runs are common.
  const std::string alphabet = "  aaab 1@'_!.|Z\\\x80z{`/9(bf";
  std::mt19937 random(11);
  int joins = 0, squeezes = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text(random() % 200, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    SCOPED_TRACE(text);
    ASSERT_EQ(MayJoin(text, config), may_join(text));
    ASSERT_EQ(MaySqueeze(text), may_squeeze(text));
    // With a config, stretched stand-ins beside a letter count too ("a@@@",
    // "|||z", not "111" or "!!!"); "..." and "___" are none.
    bool stand_in_run = false;
    auto letter = [&](size_t i) {
      return (text[i] >= 'a' && text[i] <= 'z') ||
             (text[i] >= 'A' && text[i] <= 'Z');
    };
    for (size_t i = 0; i + 2 < text.size(); ++i) {
      const uint8_t c = text[i];
      stand_in_run |= text[i] == text[i + 1] && text[i] == text[i + 2] &&
                      c < 0x80 && config.ascii_stand_in()[c] &&
                      !(c >= '0' && c <= '9') && c != '!' &&
                      ((i > 0 && letter(i - 1)) ||
                       (i + 3 < text.size() && letter(i + 3)));
    }
    ASSERT_EQ(MaySqueeze(text, &config), may_squeeze(text) || stand_in_run);
    joins += may_join(text);
    squeezes += may_squeeze(text);
  }
  // Both answers come up often enough to tell the two readings apart.
  EXPECT_GT(joins, 100);
  EXPECT_LT(joins, 3900);
  EXPECT_GT(squeezes, 100);
  EXPECT_LT(squeezes, 3900);
}

// JoinSpacedPieces() of `text` under a vocabulary of `words`, or "<none>".
std::string PiecesJoined(const std::string& text,
                         std::initializer_list<const char*> words) {
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  FoldUnits out;
  TransformScratch scratch;
  if (!JoinSpacedPieces(FoldedUnits(text), DefaultFoldConfig(), vocabulary,
                        &scratch, &out)) {
    return out.empty() ? "<none>" : "<none, but written>";
  }
  return Encoded(out);
}

// The joined view of `text` with ReadAmbiguousRuns() applied under term
// words `words`, or "<none>" where it changes nothing.
std::string AmbiguousRead(const std::string& text,
                          std::initializer_list<const char*> words) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords(std::vector<std::string>(words.begin(), words.end()));
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  FoldUnits joined;
  TransformScratch scratch;
  if (!JoinSpacedLetters(FoldedUnits(text, config), config, &scratch,
                         &joined) ||
      !ReadAmbiguousRuns(config, vocabulary, &scratch, &joined)) {
    return "<none>";
  }
  return Encoded(joined);
}

TEST(ViewTransformsTest, AmbiguousStandInsInAJoinedRunReadAsItsWords) {
  const auto words = {"our", "little", "secret", "video", "call", "i",
                      "will", "pay", "you"};
  // "1" is "l" then "i" in one run: each reading alone gives "ii" or "ll".
  EXPECT_EQ(AmbiguousRead("hey o u r 1 1 t 7 l 3 s 3 c r 3 7 ok", words),
            "hey ourlittlesecret ok");
  EXPECT_EQ(AmbiguousRead("v 1 d 3 0 c a 1 l", words), "videocall");
  EXPECT_EQ(AmbiguousRead("i w 1 1 l p 4 y y o u", words), "iwillpayyou");
  // Near misses: a real "i" never becomes "l", and a run no word needs
  // changed stays as the first reading has it.
  EXPECT_EQ(AmbiguousRead("v i d e o c a i l", words), "<none>");
  EXPECT_EQ(AmbiguousRead("p 1 x 1 e s", words), "<none>");
}

TEST(ViewTransformsTest, SpacedPiecesOfWordsRunTogetherJoinIntoTermWords) {
  const auto words = {"send", "me", "a",   "pic", "our",
                      "little", "secret", "how", "old", "are", "you"};
  // Spaced out after the spaces went: a piece holds the letters either
  // side of a word's end ("dm", "eap").
  EXPECT_EQ(PiecesJoined("hey s e n dm eap i c ok", words),
            "hey sendmeapic ok");
  EXPECT_EQ(PiecesJoined("o u rl i t t l es e c r e t", words),
            "ourlittlesecret");
  EXPECT_EQ(PiecesJoined("h.o.wo.l.da.r.ey.o.u", words), "howoldareyou");
  EXPECT_EQ(PiecesJoined("h:o_wo.l~da/r,ey-o;u", words), "howoldareyou");
  // The longest stretch wins: not "giftc" and "ardo" (a, r, do).
  EXPECT_EQ(PiecesJoined("hey g i f tc a r d ok",
                         {"gift", "card", "a", "r", "do"}),
            "hey giftcard ok");
  // A longer word may end or start a stretch: the rest of words run
  // together.
  EXPECT_EQ(PiecesJoined("w.a.t'.surage?", {"whats", "wats", "ur", "age"}),
            "watsurage?");
  EXPECT_EQ(PiecesJoined("ifyouw.o.n.t.talk", {"if", "you", "wont", "talk"}),
            "ifyouwonttalk");
  // The words may end inside the last piece.
  EXPECT_EQ(PiecesJoined("h.o.wo.l.da.r.ey.o.ub.t.w", words),
            "howoldareyoub.t.w");
  // The joined letters are tagged and keep the separators' bytes.
  FoldUnits out;
  TransformScratch scratch;
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  ASSERT_TRUE(JoinSpacedPieces(FoldedUnits("s e n dm e"), DefaultFoldConfig(),
                               vocabulary, &scratch, &out));
  ASSERT_EQ(Encoded(out), "sendme");
  EXPECT_TRUE(out[3].folds & kFoldSpacing);
  EXPECT_EQ(out[0].end, 2u);  // "s" and the space after it.
  EXPECT_EQ(out[3].end, 7u);  // "d", then "m" at 7.
  EXPECT_EQ(out[4].begin, 7u);
}

TEST(ViewTransformsTest, NoSpacedPiecesUnlessTheyReadAsTermWords) {
  const auto words = {"send", "me", "a", "pic", "i", "u", "at", "to"};
  // Letters spaced out alone are JoinSpacedLetters()'; short words in a row
  // that spell no term words, or without a single letter among them, stay.
  EXPECT_EQ(PiecesJoined("s e n d m e a p i c", words), "<none>");
  EXPECT_EQ(PiecesJoined("i c u at 5 ok", words), "<none>");
  EXPECT_EQ(PiecesJoined("send me a pic at 5 to u", words), "<none>");
  EXPECT_EQ(PiecesJoined("send me a pic i i", words), "<none>");
  // A stretched letter is the squeezed views'.
  EXPECT_EQ(PiecesJoined("s.e.n.dddd", words), "<none>");
  EXPECT_EQ(PiecesJoined("x y z me to at", words), "<none>");
  EXPECT_EQ(PiecesJoined("me to at me to", words), "<none>");
  EXPECT_EQ(PiecesJoined("s e n dm eap i c", {}), "<none>");
}

// SplitMaskedWords() of the masked view of `text`, or "<none>".
std::string MaskSplit(const std::string& text,
                      std::initializer_list<const char*> words) {
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  FoldUnits masked, out;
  TransformScratch scratch;
  if (!MaskView(FoldedUnits(text), &masked)) return "<unmasked>";
  if (!SplitMaskedWords(masked, vocabulary, &scratch, &out)) {
    return out.empty() ? "<none>" : "<none, but written>";
  }
  return Encoded(out);
}

TEST(ViewTransformsTest, MaskedWordsRunTogetherSplitIntoTermWords) {
  const auto words = {"send", "me", "a", "pic", "our", "little", "secret"};
  EXPECT_EQ(MaskSplit("hey s*ndmeap*c ok", words), "hey s*nd me a p*c ok");
  EXPECT_EQ(MaskSplit("o*rlit*lesecret", words), "o*r lit*le secret");
  EXPECT_EQ(MaskSplit("gi*tca*d", {"gift", "card"}), "gi*t ca*d");
  // The spaces cover no byte: the words' letters keep theirs.
  FoldUnits masked, out;
  TransformScratch scratch;
  Vocabulary vocabulary;
  for (const char* word : words) vocabulary.Add(word);
  ASSERT_TRUE(MaskView(FoldedUnits("s*ndmeapic"), &masked));
  ASSERT_TRUE(SplitMaskedWords(masked, vocabulary, &scratch, &out));
  ASSERT_EQ(Encoded(out), "s*nd me a pic");
  EXPECT_EQ(out[4].begin, 4u);
  EXPECT_EQ(out[4].end, 4u);
  EXPECT_EQ(out[5].begin, 4u);
  // Short words, words the vocabulary does not cover, and one word stay.
  EXPECT_EQ(MaskSplit("p*cme", words), "<none>");
  EXPECT_EQ(MaskSplit("p*sswordxyz", words), "<none>");
  EXPECT_EQ(MaskSplit("s*cretsecret", {"secret"}), "s*cret secret");
  EXPECT_EQ(MaskSplit("littlesecr*t", {"littlesecret"}), "<none>");
}

TEST(ViewTransformsTest, JoinedStandInsReadAsTheTermWordsTheySpell) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"tell", "your", "parents", "where", "live", "our",
                       "little", "secret", "will", "pay"});
  config.alone_letters = 1u << ('i' - 'a');
  // The join reads "!" and "|" as "i"; the term word says "l".
  EXPECT_EQ(JoinedTermWords("t-e-l-! y-o-u-r p-a-r-e-n-t-$", config),
            "tellyourparents");
  EXPECT_EQ(JoinedTermWords("w-h-e-r-e !-i-v-e", config, true), "where live");
  EXPECT_EQ(JoinedTermWords("o:u,r |,i-t:+.!,e s_e,c:r-e_+", config, true),
            "our little secret");
  EXPECT_EQ(JoinedTermWords("i-w;i.l:!:p.a.y", config), "iwillpay");
  // Words that are no term words keep the first reading; so do prices,
  // emoticons and a sentence's "!!!" between spaced letters.
  EXPECT_EQ(JoinedTermWords("t-e-l-! m-e", config), "telime");
  for (const char* text : {"w o w ! ! ! $ 5 . 9 9", "h e y : - ( < 3 | |",
                           "w i l l ! ! !", "p a y $ 5", "o u r | | y o u"}) {
    EXPECT_EQ(JoinedTermWords(text, config),
              JoinedTermWords(text, config, false, /*read=*/false))
        << text;
  }
}

}  // namespace
}  // namespace watchword
