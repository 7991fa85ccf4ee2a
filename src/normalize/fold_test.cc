#include "src/normalize/fold.h"

#include <algorithm>
#include <random>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "watchword/normalizer.h"

namespace watchword {
namespace {

FoldConfig DefaultConfig() {
  FoldConfig config;
  config.SetLeet(FoldConfig::DefaultLeet());
  return config;
}

// The folded view of `text` (before equivalences) as a string.
std::string Folded(const std::string& text,
                   const FoldConfig& config = DefaultConfig()) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units;
  FoldBase(text, base, config, &units);
  FoldedView view;
  EncodeView(units, &view);
  return view.text;
}

uint16_t FoldsOf(const std::string& text) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units;
  FoldBase(text, base, DefaultConfig(), &units);
  uint16_t folds = 0;
  for (const FoldUnit& u : units) folds |= u.folds;
  return folds;
}

std::string Squeezed(const std::string& text) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units, out;
  FoldBase(text, base, DefaultConfig(), &units);
  if (!SqueezeRepeats(units, /*force=*/false, &out)) return "<none>";
  FoldedView view;
  EncodeView(out, &view);
  return view.text;
}

std::string Joined(const std::string& text) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units, out;
  FoldBase(text, base, DefaultConfig(), &units);
  if (!JoinSpacedLetters(units, DefaultConfig(), &out)) return "<none>";
  FoldedView view;
  EncodeView(out, &view);
  return view.text;
}

// The folded view with DropInWordSeparators() applied, or "<none>".
std::string Separated(const std::string& text) {
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units;
  FoldBase(text, base, DefaultConfig(), &units);
  const bool has = HasInWordSeparator(units);
  if (DropInWordSeparators(&units) != has) return "<disagree>";
  if (!has) return "<none>";
  FoldedView view;
  EncodeView(units, &view);
  return view.text;
}

TEST(FoldTest, SeparatorsInsideWordsAreDroppedInTheirOwnView) {
  // The folded view reads an emoji between letters as a space.
  EXPECT_EQ(Folded("se\U0001F600nd me"), "se nd me");
  EXPECT_EQ(Separated("se\U0001F600nd me"), "send me");
  EXPECT_EQ(Separated("how\U0001F600old\U0001F525are"), "howoldare");
  EXPECT_EQ(Separated("$2\U0001F600\U0001F525" "0 bucks"), "$20 bucks");
  EXPECT_EQ(Separated("se_nd"), "send");
  // Real spaces, and emoji beside one, stay.
  EXPECT_EQ(Separated("send me \U0001F600 now"), "<none>");
  EXPECT_EQ(Separated("send me"), "<none>");
  // The dropped emoji's bytes belong to the letter before it.
  NormalizedText base;
  Normalize("e\U0001F600n", &base);
  FoldUnits units;
  FoldBase("e\U0001F600n", base, DefaultConfig(), &units);
  ASSERT_TRUE(DropInWordSeparators(&units));
  ASSERT_EQ(units.size(), 2u);
  EXPECT_EQ(units[0].begin, 0u);
  EXPECT_EQ(units[0].end, 5u);
  EXPECT_TRUE(units[0].folds & kFoldSpacing);
  EXPECT_EQ(units[1].begin, 5u);
}

TEST(FoldTest, LeetspeakFoldsDigitsAndSymbolsInsideWords) {
  EXPECT_EQ(Folded("s3nd m3 a p1c"), "send me a pic");
  EXPECT_EQ(Folded("p!c h@ck"), "pic hack");
  EXPECT_EQ(FoldsOf("s3nd"), kFoldLeetspeak);
}

TEST(FoldTest, LeetspeakLeavesNumbersPricesTimesAndIdsAlone) {
  EXPECT_EQ(Folded("455"), "455");
  EXPECT_EQ(Folded("142,460"), "142,460");
  EXPECT_EQ(Folded("12:30 on 2024-01-05"), "12:30 on 2024-01-05");
  EXPECT_EQ(Folded("$5 or 3.50"), "$5 or 3.50");
  EXPECT_EQ(Folded("51.5074, -0.1278"), "51.5074, -0.1278");
  EXPECT_EQ(FoldsOf("call 555 0100"), 0);
}

TEST(FoldTest, SentencePunctuationIsNotLeetspeak) {
  EXPECT_EQ(Folded("pic! wow!!"), "pic! wow!!");
  // "@" and "$" open a word only before a letter ("@re", "$end").
  EXPECT_EQ(Folded("@ 5 $5 @@ $$"), "@ 5 $5 @@ $$");
  // "+", "$" and "€" end a word after a letter; not after a number.
  EXPECT_EQ(Folded("18+ 5$ 20\u20ac c++"), "18+ 5$ 20\u20ac c++");
}

TEST(FoldTest, StandInsBesideStandInsAndAtWordEdges) {
  // Another stand-in beside a letter counts as a letter.
  EXPECT_EQ(Folded("$\u20acnd"), "send");
  EXPECT_EQ(Folded("w@+"), "wat");
  EXPECT_EQ(Folded("don+ +ell"), "dont tell");
  EXPECT_EQ(Folded("m\u20ac what$"), "me whats");
  // A repeated symbol is punctuation, not two letters.
  EXPECT_EQ(Folded("hi!! wow!!!"), "hi!! wow!!!");
}

TEST(FoldTest, AmbiguousStandInsHaveAnAlternateReading) {
  EXPECT_EQ(Folded("p1c"), "pic");
  EXPECT_EQ(Folded("p|c"), "pic");
  // Letters stay letters: "asl" never becomes the Spanish "así".
  EXPECT_EQ(Folded("asl hello"), "asl hello");
  EXPECT_EQ(FoldsOf("hello"), 0);
  FoldConfig alternate = DefaultConfig();
  auto map = alternate.leet;
  for (const auto& [from, to] : FoldConfig::AlternateLeet()) map[from] = to;
  alternate.SetLeet(map);
  EXPECT_EQ(Folded("1ove he|lo", alternate), "love hello");
}

TEST(FoldTest, StandInsOfTwoMeaningsReadAsTheTermWordTheySpell) {
  FoldConfig config = DefaultConfig();
  config.SetTermWords({"still", "live", "school", "lil"});
  // "1" is "i" in "5t" but "l" after it; each place reads as the word needs.
  EXPECT_EQ(Folded("r u 5t111 in scho01", config), "r u still in school");
  EXPECT_EQ(Folded("11ve", config), "live");
  EXPECT_EQ(Folded("|!ve", config), "live");
  // Only letters a stand-in became change: a real "i" stays.
  EXPECT_EQ(Folded("stiii sti1l", config), "stiii still");
  // "1i1" reads "iii" first; its stand-ins, not its "i", become the l's of
  // "lil".
  EXPECT_EQ(Folded("1i1", config), "lil");
  // Without the words, the first meaning.
  EXPECT_EQ(Folded("5t111"), "stiii");
  // Non-ASCII text takes the general path, with the same result.
  EXPECT_EQ(Folded("5t111 ѕcho01", config), "still school");
}

TEST(FoldTest, SomeSymbolsStandForLettersOnlyInTermWords) {
  FoldConfig config = DefaultConfig();
  config.SetTermWords({"what", "school", "pics", "if", "lock", "will", "cage"});
  EXPECT_EQ(Folded("w#at schoo! pi(s", config), "what school pics");
  EXPECT_EQ(Folded("!f u !ock", config), "!f u lock");  // Two letters typed.
  EXPECT_EQ(Folded("wil! wi!! pi<s", config), "will will pics");
  // "(" and "#" open words as often as they hide a letter.
  EXPECT_EQ(Folded("(age 12) #at", config), "(age 12) #at");
  // Elsewhere they are themselves.
  EXPECT_EQ(Folded("#tag friend(s) hi! w#at", DefaultConfig()),
            "#tag friend(s) hi! w#at");
  EXPECT_EQ(Folded("#tag friend(s) hi! :( <3", config),
            "#tag friend(s) hi! :( <3");
  // A sentence's "!" after a term word stays one.
  EXPECT_EQ(Folded("how!", config), "how!");
}

TEST(FoldTest, HomoglyphsFoldToLatinInDisguisedWords) {
  // Cyrillic ѕ, е and а; all look-alikes.
  EXPECT_EQ(Folded("\xd1\x95\xd0\xb5nd m\xd0\xb5 \xd0\xb0 pic"), "send me a pic");
  EXPECT_EQ(FoldsOf("s\xd0\xb5nd"), kFoldHomoglyph);  // One Cyrillic е.
  // Greek omicron among Latin letters.
  EXPECT_EQ(Folded("ph\xce\xbftos"), "photos");
  // Cherokee look-alikes.
  EXPECT_EQ(Folded("\xe1\x8e\xaa"), "a");
}

TEST(FoldTest, RealWordsOfOtherScriptsStay) {
  EXPECT_EQ(Folded("привет"), "привет");
  // "σου" is all look-alikes, but "φίλε" shows the text is really Greek.
  EXPECT_EQ(Folded("γεια σου φίλε"), "γεια σου φιλε");
  // Russian "сор" (litter) alone looks like "cop"; beside "привет" it stays.
  EXPECT_EQ(Folded("привет сор"), "привет сор");
  EXPECT_EQ(Folded("你好"), "你好");
  EXPECT_EQ(FoldsOf("привет"), 0);
  // Only the scripts the text is written in stay: Greek look-alikes beside
  // Russian words, or a Cyrillic letter inside a Latin word, still fold.
  EXPECT_EQ(Folded("привет сор"), "привет сор");
  EXPECT_EQ(Folded("привет \u03bf\u03c1"), "привет op");  // Greek ορ
  EXPECT_EQ(Folded("привет s\u0435nd"), "привет send");
  EXPECT_EQ(Folded("сор"), "cop");
  EXPECT_EQ(Folded("привет p1c"), "привет pic");  // Leetspeak still folds.
}

TEST(FoldTest, TextAllInLookAlikesFolds) {
  // Greek letters that only their capitals tie to Latin: κ (Κ), ε (Ε).
  EXPECT_EQ(Folded("αrε yου hοmε"), "are you home");
  EXPECT_EQ(Folded("κικ"), "kik");
  // Cyrillic ԝ ԁ һ ӏ ј ԛ ѕ.
  EXPECT_EQ(Folded("ԝ ԁ һ ӏ ј ԛ ѕ"),
            "w d h i j q s");
  EXPECT_EQ(FoldsOf("һоԝ"), kFoldHomoglyph);  // һоԝ
}

TEST(FoldTest, LookAlikesFoldAsWrittenNotAsCaseFolded) {
  // Capital Eta, Nu and Upsilon look like H, N and Y; their small letters
  // like n, v and u. Lunate sigma looks like c; case folding makes it σ.
  EXPECT_EQ(Folded("\u0397\u039f\u039c\u0395 \u0391\u0399\u039f\u039d\u0395"),
            "home alone");
  EXPECT_EQ(Folded("\u03a5\u039fU"), "you");
  EXPECT_EQ(Folded("pi\u03f2"), "pic");
  // The small letters keep their own look.
  EXPECT_EQ(Folded("\u03b7\u03bf\u03bc\u03b5"), "nome");
}

TEST(FoldTest, LatinLookAlikesFoldAnywhere) {
  // Small capitals, alone or among ASCII letters.
  EXPECT_EQ(Folded("ꜱᴇɴᴅ ᴍᴇ ᴀ ᴘɪᴄ"),
            "send me a pic");
  EXPECT_EQ(Folded("ꜱend"), "send");
  EXPECT_EQ(FoldsOf("ꜱend"), kFoldHomoglyph);
  EXPECT_EQ(Folded("ʙɢʜᴊᴋʟʀᴛᴜᴠᴡʏᴢꜰ"),
            "bghjklrtuvwyzf");
  EXPECT_EQ(Folded("ɑ"), "a");  // ɑ
}

TEST(FoldTest, LatinTextIsNotTouchedByHomoglyphFolding) {
  EXPECT_EQ(FoldsOf("rn m cl d vv w"), 0);
  EXPECT_EQ(Folded("rn m"), "rn m");
}

TEST(FoldTest, DiacriticsAreStripped) {
  EXPECT_EQ(Folded("pîc café naïve"), "pic cafe naive");
  EXPECT_EQ(FoldsOf("pîc"), kFoldDiacritic);
  // A mark with no precomposed form merges into its letter.
  EXPECT_EQ(Folded("q\xcc\x83"), "q");
}

TEST(FoldTest, InvisibleCharactersAreReported) {
  EXPECT_EQ(Folded("s\xe2\x80\x8b" "end"), "send");
  EXPECT_EQ(FoldsOf("s\xe2\x80\x8b" "end"), kFoldInvisible);
  EXPECT_EQ(FoldsOf("s\xc2\xad" "end"), kFoldInvisible);  // Soft hyphen.
}

TEST(FoldTest, StretchedLettersSqueezeEveryDoubleLetterToOne) {
  EXPECT_EQ(Squeezed("sennnnd"), "send");
  // Once one letter is stretched, every double letter is cut, in text as in
  // phrases, so "cool" and "dontttt telll" meet their terms.
  EXPECT_EQ(Squeezed("cooooool book"), "col bok");
  EXPECT_EQ(SqueezePhrase("cool book", DefaultConfig()), "col bok");
  // Real double letters alone are no stretch: "good" never meets "god".
  EXPECT_EQ(Squeezed("good book"), "<none>");
  // Digits are not letters.
  EXPECT_EQ(Squeezed("1000"), "<none>");
}

TEST(FoldTest, JoinsRunsOfSingleLettersOnly) {
  EXPECT_EQ(Joined("s e n d pics"), "send pics");
  EXPECT_EQ(Joined("s.e.n.d"), "send");
  EXPECT_EQ(Joined("s-e-n-d me"), "send me");
  EXPECT_EQ(Joined("s 🙂 e 🙂 n 🙂 d"), "send");
  // Ordinary neighbouring words never join.
  EXPECT_EQ(Joined("from growing"), "<none>");
  EXPECT_EQ(Joined("u r ok"), "<none>");  // Two letters are not a run.
}

TEST(FoldTest, JoinedRunsFoldSingleLeetCharacters) {
  EXPECT_EQ(Joined("s 3 n d"), "send");
  EXPECT_EQ(Joined("p ! c"), "pic");
  // A run needs two real letters: numbers stay numbers.
  EXPECT_EQ(Joined("5 5 5 0 1 0 0"), "<none>");
  EXPECT_EQ(Joined("a 1 2"), "<none>");
}

TEST(FoldTest, JoinedLettersSpanTheirSeparators) {
  std::string text = "xy s . e . n . d";
  NormalizedText base;
  Normalize(text, &base);
  FoldUnits units, out;
  FoldBase(text, base, DefaultConfig(), &units);
  ASSERT_TRUE(JoinSpacedLetters(units, DefaultConfig(), &out));
  FoldedView view;
  EncodeView(out, &view);
  ASSERT_EQ(view.text, "xy send");
  // "send" covers base bytes 3..16, separators included.
  EXPECT_EQ(view.begin[3], 3u);
  EXPECT_EQ(view.end[6], 16u);
  EXPECT_EQ(view.folds[4] & kFoldSpacing, kFoldSpacing);
}

TEST(FoldTest, EquivalencesFoldWholeWords) {
  FoldConfig config = DefaultConfig();
  config.SetEquivalences({{"u", "you"}, {"r", "are"}});
  EXPECT_EQ(FoldPhrase("r u home", config), "are you home");
  EXPECT_EQ(FoldPhrase("run up", config), "run up");  // Not inside words.
  NormalizedText base;
  Normalize("r u", &base);
  FoldUnits units, out;
  FoldBase("r u", base, config, &units);
  ASSERT_TRUE(ApplyEquivalences(units, config, &out));
  ASSERT_EQ(out.size(), 7u);  // "are you"
  EXPECT_EQ(out[0].begin, 0u);
  EXPECT_EQ(out[2].end, 1u);
  EXPECT_EQ(out[0].folds, kFoldChatSpeak);
  // ASCII words inside text of another script, and none there.
  EXPECT_EQ(FoldPhrase("привет r u", config), "привет are you");
  FoldUnits cyrillic, unused;
  Normalize("привет как дела", &base);
  FoldBase("привет как дела", base, config, &cyrillic);
  EXPECT_FALSE(ApplyEquivalences(cyrillic, config, &unused));
  // Words of any script, and canonical words of any length.
  config.SetEquivalences({{"фото", "pic"}, {"pix", "фото"}});
  EXPECT_EQ(FoldPhrase("моё фото", config), "мое pic");
  EXPECT_EQ(FoldPhrase("send pix now", config), "send фото now");
  EXPECT_EQ(FoldPhrase("фотоаппарат", config), "фотоаппарат");
}

TEST(FoldTest, DisabledFoldsDoNothing) {
  FoldConfig config = DefaultConfig();
  config.enabled = 0;
  EXPECT_EQ(Folded("s3nd pîc ѕеnd", config), "s3nd pîc ѕеnd");
}

TEST(FoldTest, UnitsMapMonotonicallyIntoTheBaseView) {
  std::mt19937 rng(99);
  const std::vector<std::string> pieces = {
      "a", "l", "1", "!", "$", " ", ".", "ѕ", "е", "é", "\xe2\x80\x8b", "🙂",
      "привет", "x", "ooo", "\xff", "5", "@", "ß", "ﬁ"};
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    for (int k = rng() % 12; k >= 0; --k) text += pieces[rng() % pieces.size()];
    NormalizedText base;
    Normalize(text, &base);
    FoldUnits units;
    FoldBase(text, base, DefaultConfig(), &units);
    FoldUnits variants[3];
    SqueezeRepeats(units, /*force=*/true, &variants[0]);
    JoinSpacedLetters(units, DefaultConfig(), &variants[1]);
    if (!ApplyEquivalences(units, DefaultConfig(), &variants[2])) {
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

// The scanner matches the base view itself where FoldBase says nothing was
// folded, so that must be exactly so.
TEST(FoldTest, NothingFoldedMeansTheBaseView) {
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {
      "a", "1", "!", " ", ".", "ѕ", "е", "é", "\xe2\x80\x8b", "🙂", "привет",
      "ооо", "ß", "ﬁ", "٣", "€", "γεια", "你好", "p1c", "sеnd", "x"};
  int unfolded = 0, folded = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int k = rng() % 8; k >= 0; --k) text += pieces[rng() % pieces.size()];
    NormalizedText base;
    Normalize(text, &base);
    FoldUnits units;
    FoldedView view;
    const bool changed = FoldBase(text, base, DefaultConfig(), &units);
    EncodeView(units, &view);
    const bool same = view.text == base.text &&
                      std::all_of(view.folds.begin(), view.folds.end(),
                                  [](uint16_t f) { return f == 0; });
    ASSERT_EQ(changed, !same) << text;
    (changed ? folded : unfolded) += 1;
  }
  EXPECT_GT(unfolded, 100);
  EXPECT_GT(folded, 100);
}

// Every fold keeps a unit's kind in step with its character: the later
// folds trust it instead of asking ICU.
TEST(FoldTest, UnitKindsFollowTheirCharacters) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "a", "l", "1", "!", "|", "$", " ", ".", "*", "#", "ѕ", "е", "é",
      "e\u0301", "\u0301", "\xe2\x80\x8b", "🙂", "привет", "ооо", "ß", "ﬁ",
      "٣", "€", "ω", "Ꮪ", "𝐬", "_", "u", "ur", "x"};
  FoldConfig config = DefaultConfig();
  config.SetEquivalences({{"u", "you"}, {"ur", "your"}, {"pix", "pic"}});
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
    JoinSpacedLetters(units, config, &joined);
    JoinSpacedLetters(squeezed, config, &joined_squeezed);
    MaskView(units, &masked);
    if (!ApplyEquivalences(units, config, &equivalent)) equivalent.clear();
    for (const FoldUnits* view :
         {&units, &squeezed, &joined, &joined_squeezed, &masked, &equivalent}) {
      for (const FoldUnit& unit : *view) {
        ASSERT_EQ(unit.kind, UnitKindOf(unit.c))
            << text << " U+" << std::hex << unit.c;
      }
    }
  }
}

TEST(FoldTest, MasksInsideWordsBecomeTheMaskCharacter) {
  NormalizedText base;
  Normalize("p*c s#x *hugs* 5*3", &base);
  FoldUnits units, out;
  FoldBase("p*c s#x *hugs* 5*3", base, DefaultConfig(), &units);
  ASSERT_TRUE(MaskView(units, &out));
  FoldedView view;
  EncodeView(out, &view);
  // Emphasis stars around a word are not masks; between digits they are
  // (the regexes only give letters a mask).
  EXPECT_EQ(view.text, "p*c s*x *hugs* 5*3");
  EXPECT_EQ(view.folds[1], kFoldMask);
  EXPECT_EQ(view.folds[9], 0);
  Normalize("*hugs* and 2*2", &base);
  FoldBase("*hugs* and 2*2", base, DefaultConfig(), &units);
  EXPECT_TRUE(MaskView(units, &out));  // 2*2: harmless, no letter to mask.
  Normalize("*hugs*", &base);
  FoldBase("*hugs*", base, DefaultConfig(), &units);
  EXPECT_FALSE(MaskView(units, &out));
}

TEST(FoldTest, MaskedRegexAndPlausibility) {
  EXPECT_EQ(MaskedPhraseRegex("pic"), "(?:p|\\*)(?:i|\\*)(?:c|\\*)");
  EXPECT_EQ(MaskedPhraseRegex("a b"), "(?:a|\\*)\\ (?:b|\\*)");
  EXPECT_EQ(MaskedSqueezedPhraseRegex("little"),
            "(?:l|\\*)(?:i|\\*)(?:t|\\*)(?:t|\\*)?(?:l|\\*)(?:e|\\*)");
  EXPECT_EQ(MaskedSqueezedPhraseRegex("aaa b"),
            "(?:a|\\*)(?:a|\\*)?\\ (?:b|\\*)");
  EXPECT_TRUE(MaskedMatchIsPlausible("p*c"));
  EXPECT_TRUE(MaskedMatchIsPlausible("s**d"));
  EXPECT_FALSE(MaskedMatchIsPlausible("***"));
  EXPECT_FALSE(MaskedMatchIsPlausible("*i*"));
  EXPECT_FALSE(MaskedMatchIsPlausible("pic"));
}

TEST(FoldTest, AsciiFastPathEqualsTheGeneralPath) {
  std::mt19937 rng(5);
  const std::string alphabet = "aeilost1350!@$|_ .,-xyz\tAB'`(4/#<h";
  FoldConfig config = DefaultConfig();
  config.alone_letters = (1u << ('a' - 'a')) | (1u << ('i' - 'a'));
  config.SetTermWords({"list", "lie", "silt", "isle", "tell", "hot", "cost"});
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    // Some long texts, with more stand-ins than FoldAscii notes one by one.
    const int length = rng() % (round % 10 == 0 ? 400 : 24);
    for (int k = length; k > 0; --k) text += alphabet[rng() % alphabet.size()];
    if (round % 7 == 0) text += "\xe2\x80\x8b" "x";  // An invisible, removed.
    NormalizedText base;
    Normalize(text, &base);
    FoldedView fast, general;
    if (!FoldAscii(text, base, config, &fast)) continue;
    FoldUnits units;
    FoldBase(text, base, config, &units);
    EncodeView(units, &general);
    ASSERT_EQ(fast.text, general.text) << text;
    ASSERT_EQ(fast.begin, general.begin) << text;
    ASSERT_EQ(fast.end, general.end) << text;
    ASSERT_EQ(fast.folds, general.folds) << text;
    FoldUnits joined;
    ASSERT_EQ(MayJoin(fast.text, config) ||
                  !JoinSpacedLetters(units, config, &joined),
              true)
        << "MayJoin said no to a joinable text: " << text;
    FoldUnits squeezed;
    ASSERT_TRUE(MaySqueeze(fast.text) ||
                !SqueezeRepeats(units, /*force=*/false, &squeezed))
        << text;
  }
}

TEST(FoldTest, AsciiEquivalencesEqualTheGeneralPath) {
  FoldConfig config = DefaultConfig();
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
    EncodeView(ApplyEquivalences(units, config, &equivalent) ? equivalent : units,
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
TEST(FoldTest, AsciiEquivalencesSeeEveryAsciiByteAsTheGeneralPathDoes) {
  FoldConfig config = DefaultConfig();
  config.SetEquivalences({{"u", "you"}, {"r", "are"}});
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
      EncodeView(ApplyEquivalences(units, config, &equivalent) ? equivalent : units,
                 &general);
      const FoldedView& matched =
          ApplyAsciiEquivalences(fast, config, &replaced) ? replaced : fast;
      ASSERT_EQ(matched.text, general.text) << text;
      ASSERT_EQ(matched.begin, general.begin) << text;
      ASSERT_EQ(matched.folds, general.folds) << text;
    }
  }
}

TEST(FoldTest, AsciiEquivalencesReportWhatTheyReplaced) {
  FoldConfig config = DefaultConfig();
  config.SetEquivalences({{"u", "you"}});
  NormalizedText base;
  Normalize("see u", &base);
  FoldedView view, out;
  ASSERT_TRUE(FoldAscii("see u", base, config, &view));
  ASSERT_TRUE(ApplyAsciiEquivalences(view, config, &out));
  EXPECT_EQ(out.text, "see you");
  EXPECT_THAT(out.begin, testing::ElementsAre(0, 1, 2, 3, 4, 4, 4));
  EXPECT_THAT(out.end, testing::ElementsAre(1, 2, 3, 4, 5, 5, 5));
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

}  // namespace
}  // namespace watchword
