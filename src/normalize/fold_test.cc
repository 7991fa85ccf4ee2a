#include "src/normalize/fold.h"

#include <algorithm>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "src/normalize/view_transforms.h"
#include "tests/testing/fold_util.h"
#include "watchword/normalizer.h"

namespace watchword {
namespace {

using ::watchword::testing::DefaultFoldConfig;
using ::watchword::testing::Folded;
using ::watchword::testing::FoldsOf;

// Folds `text` by the ASCII fast path into *fast and by FoldBase() into
// *units and *general, for the tests that compare them. Returns false where
// the fast path hands the text to FoldBase().
bool FoldBothWays(const std::string& text, const FoldConfig& config,
                  FoldedView* fast, FoldedView* general, FoldUnits* units) {
  NormalizedText base;
  Normalize(text, &base);
  if (!FoldAscii(text, base, config, fast)) return false;
  FoldBase(text, base, config, units);
  EncodeView(*units, general);
  return true;
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

TEST(FoldTest, UnderscoresBesideAMarkAreSpacesToo) {
  // Between two word characters an "_" is a space; beside punctuation, or
  // a currency sign before a number, it is one too.
  EXPECT_EQ(Folded("come_over,_dont_tell"), "come over, dont tell");
  EXPECT_EQ(Folded("knew_it._i_live"), "knew it. i live");
  EXPECT_EQ(Folded("pay_you_$20"), "pay you $20");
  EXPECT_EQ(Folded("number:_555-0100"), "number: 555-0100");
  EXPECT_EQ(Folded("number:\U0001F9EA555-0100"), "number: 555-0100");
  EXPECT_EQ(FoldsOf("it._i"), kFoldSpacing);
  // Underscores around a stand-in space it out as a letter ("p_!_c" is
  // spaced-out letters); those with no word character beside them stay;
  // a mask is a letter ("o_*_r").
  EXPECT_EQ(Folded("p_!_c __init__ a_._b"), "p ! c __init__ a . b");
  EXPECT_EQ(Folded("o_*_r se\U0001F3A7*\U0001F4EDd"), "o * r se * d");
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
  FoldConfig alternate = DefaultFoldConfig();
  auto map = alternate.leet();
  for (const auto& [from, to] : FoldConfig::AlternateLeet()) map[from] = to;
  alternate.SetLeet(map);
  EXPECT_EQ(Folded("1ove he|lo", alternate), "love hello");
}

TEST(FoldTest, StandInsOfTwoMeaningsReadAsTheTermWordTheySpell) {
  FoldConfig config = DefaultFoldConfig();
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
  // Stretched too, a word's runs take its term word's letters in order:
  // "11" is "li" of "live", "111" stretches the "l" of "selfie".
  config.SetTermWords({"still", "live", "school", "lil", "selfie"});
  EXPECT_EQ(Folded("11veeee 5e111f1e schoo1111", config),
            "liveeee selllfie schoollll");
  // Near misses: unstretched, or no term word once squeezed, or a word
  // that was no stand-in's, it reads as before.
  EXPECT_EQ(Folded("5e1f1ee 11vvvvid", config), "seifiee iivvvvid");
  EXPECT_EQ(Folded("1111 iiiiive", config), "1111 iiiiive");
  // Without the words, the first meaning.
  EXPECT_EQ(Folded("5t111"), "stiii");
  // Non-ASCII text takes the general path, with the same result.
  EXPECT_EQ(Folded("5t111 ѕcho01", config), "still school");
}

TEST(FoldTest, SomeSymbolsStandForLettersOnlyInTermWords) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords(
      {"what", "school", "pics", "if", "lock", "will", "cage", "how", "home"});
  EXPECT_EQ(Folded("w#at schoo! pi(s", config), "what school pics");
  EXPECT_EQ(Folded("!f u !ock", config), "if u lock");
  EXPECT_EQ(Folded("!s !t", config), "!s !t");  // No term words.
  EXPECT_EQ(Folded("wil! wi!! pi<s", config), "will will pics");
  // "#" and "(" open a word where that makes a term word, but a "(" closed
  // later opens a parenthesis ("(age 12)").
  EXPECT_EQ(Folded("#ow old, #ome", config), "how old, home");
  EXPECT_EQ(Folded("(age 12) #at #tag (ool", config), "(age 12) #at #tag (ool");
  EXPECT_EQ(Folded("(age 12 <age", config), "cage 12 cage");
  // A word of symbols only, of three or more, spells a term word too.
  EXPECT_EQ(Folded("#0w (@g€ <#@+", config), "how cage <#@+");
  config.SetTermWords({"is", "at", "it"});
  // A token of two symbols spells a term word too, if they differ.
  EXPECT_EQ(Folded("age |$ ok, m€ @+ home, !+", config),
            "age is ok, me at home, it");
  EXPECT_EQ(Folded("!! ++ |$? @+@", config), "!! ++ |$? @+@");
  EXPECT_EQ(Folded("age |$ ok", DefaultFoldConfig()), "age |$ ok");
  config.SetTermWords({"chat", "asl"});
  // "@$!" is "asi", which reads as the term word "asl".
  EXPECT_EQ(Folded("<#@+ @$!? !!! $$$", config), "chat asl? !!! $$$");
  // Elsewhere they are themselves.
  EXPECT_EQ(Folded("#tag friend(s) hi! w#at", DefaultFoldConfig()),
            "#tag friend(s) hi! w#at");
  EXPECT_EQ(Folded("#tag friend(s) hi! :( <3", config),
            "#tag friend(s) hi! :( <3");
  // A sentence's "!" after a term word stays one.
  EXPECT_EQ(Folded("how!", config), "how!");
}

TEST(FoldTest, SymbolsPairedBetweenLettersOrBeforePunctuationAreLetters) {
  // The same symbol twice between letters is two letters.
  EXPECT_EQ(Folded("pa$$word me$$age"), "password message");
  // At a word's end, before the sentence's punctuation.
  EXPECT_EQ(Folded("phon€? grad€, ok"), "phone? grade, ok");
  // A pair at the end, three in a row, or alone, stay symbols, but a pair
  // that may end a word ("$", "€", "+") ends one: "fr€€" is "free"; "c++"
  // is a name.
  EXPECT_EQ(Folded("hi!! a$$$b $$ 5$"), "hi!! a$$$b $$ 5$");
  EXPECT_EQ(Folded("fr€€ pa$$ c++ g++"), "free pass c++ g++");
  // An apostrophe between stand-ins goes as between letters.
  EXPECT_EQ(Folded("wha+'$ |'d"), "whats id");
}

TEST(FoldTest, SymbolsSpellTermWordsAtTheirEdges) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"camera", "gonna", "secret"});
  EXPECT_EQ(Folded("(@mer@ gonn@ s€<re+", config),
            "camera gonna secret");
  EXPECT_EQ(Folded("(@mer@ gonn@", DefaultFoldConfig()), "(@mer@ gonn@");
}

TEST(FoldTest, SymbolsSpellTermWordsRunTogether) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"dont", "tell", "your", "parents", "how", "old", "are",
                       "you", "can", "pick", "up", "video", "call"});
  config.alone_letters = 1u << ('i' - 'a');
  // A run of letters and stand-ins that is no term word reads as several
  // end to end, each stand-in as its word needs ("!" is "l" in "tell").
  EXPECT_EQ(Folded("don+tel!yourparent$ #owo|d@reyou", config),
            "donttellyourparents howoldareyou");
  EXPECT_EQ(Folded("vid€ocal! i(anpi<kyouup", config),
            "videocall icanpickyouup");
  // Only where every piece is a term word: prices, emoticons, code and a
  // sentence's "!!!" stay as typed.
  for (const char* text :
       {"howold!!! canyou$5 you(up) a+b==c :-( <3 hi!!", "callyou! howoldis#tag",
        "pick(up) you<3 #howold $5.99 old|you c++ are!!you"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
  // A one-letter word as typed, or as a stand-in that stands alone for it
  // opening the token ("!canpick"); not one inside the run, nor two.
  EXPECT_EQ(Folded("!canpick", config), "icanpick");
  EXPECT_EQ(Folded("|canpick", config), "icanpick");
  for (const char* text : {"!!canpick", "@canpick", "!cantpick", "!thanks"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
  EXPECT_EQ(Folded("don+tel!yourparent$", DefaultFoldConfig()),
            "dontteliyourparents");
}

TEST(FoldTest, MaskedDigitsReadAsATermWordOnlyWhereItMakesAPair) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"how", "old", "are", "age", "you"},
                      {"how old", "old are", "are you"});
  // "4*3" may be "are" or "age"; "are" makes a pair with "old".
  EXPECT_EQ(Folded("how old 4*3 you", config), "how old a*e you");
  EXPECT_EQ(Folded("h0w o1d 4*3", config), "how old a*e");
  // Sums stay: alone, beside no word of a pair, beside a number or "=",
  // or with an operator in the token.
  for (const char* text : {"4*3", "4*3=12", "old 4*3 = 12", "12 4*3 you",
                           "it is 4*3 ok", "old 4*3+1", "old 4**3",
                           "old 4*5"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
}

TEST(FoldTest, ASumsShapeReadsAsATermWordOnlyWhereItMakesAPair) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"is", "anyone", "else", "your", "age", "for"},
                      {"is anyone", "anyone else", "for your", "your age"});
  // Digits then a stand-in spell "is" and "age"; the word beside them,
  // read through its own leetspeak, makes the pair.
  EXPECT_EQ(Folded("1$ 4nyone", config), "is anyone");
  EXPECT_EQ(Folded("for your 49\u20ac", config), "for your age");
  // Prices and sums stay: no pair, a number or an operator beside them, a
  // currency sign first, or no term word spelled.
  for (const char* text :
       {"it costs 1$", "1$ each", "1$ 12", "your 49\u20ac 12",
        "your 49\u20ac + 5\u20ac", "10 + 1$ anyone", "$10 your $1",
        "your 5\u20ac", "your 49\u20ac\u20ac", "1$"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
}

TEST(FoldTest, MaskedWordsOfStandInsReadAsTheTermWordTheySpell) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"are", "age", "home", "camera", "live", "call", "fuck",
                       "ship", "shit", "ass", "send", "publicar"});
  // The mask is any letter; "!" and "|" either of theirs ("l" in "live").
  EXPECT_EQ(Folded("@*\xe2\x82\xac #*me (*m\xe2\x82\xacra", config),
            "a*e h*me c*mera");
  EXPECT_EQ(Folded("!*ve (a*| @*e", config), "l*ve ca*l a*e");
  // A letter a stand-in made takes its other meaning too ("!" read "i").
  EXPECT_EQ(Folded("pu*!icar", config), "pu*licar");
  // Masks with no stand-in, or as many masks as other characters, and a
  // stand-in that makes no term word stay as typed: swearing, sums,
  // emphasis.
  for (const char* text : {"f***", "***", "a*b", "5*3=15", "@*#!", "$#*!",
                           "@**", "#*#", "*@*", "2*$5", "(*)", "x*@y"}) {
    EXPECT_EQ(Folded(text, config), Folded(text, DefaultFoldConfig())) << text;
  }
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
  EXPECT_EQ(Folded("\u0397\u039f\u039c\u0395 \u0391L\u039f\u039d\u0395"),
            "home alone");
  EXPECT_EQ(Folded("\u03a5\u039fU"), "you");
  EXPECT_EQ(Folded("pi\u03f2"), "pic");
  // An apostrophe dropped after a letter does not hide how it was written.
  EXPECT_EQ(Folded("D\u039f\u039d'\u03a4"), "dont");
  // The small letters keep their own look.
  EXPECT_EQ(Folded("\u03b7\u03bf\u03bc\u03b5"), "nome");
}

TEST(FoldTest, CapitalILookAlikesReadByTheirWordsCase) {
  // "І" (Cyrillic), "Ι" (Greek), "ǀ", "Ｉ" and "ｌ" share the skeleton of
  // "I" and "l": "i" among capitals or alone, "l" beside small letters.
  EXPECT_EQ(Folded("\u0405\u0415ND \u041c\u0415 \u0410 \u0420\u0406\u0421"),
            "send me a pic");
  EXPECT_EQ(Folded("\u0399 CAN"), "i can");
  EXPECT_EQ(Folded("PR\u01c0VATE"), "private");
  EXPECT_EQ(Folded("se\u0399fie"), "selfie");
  EXPECT_EQ(Folded("\u0455\u0435\u0406f\u0456\u0435"), "selfie");
  EXPECT_EQ(Folded("\uff49\uff29\uff4c"), "ill");
  EXPECT_EQ(Folded("\uff4c C\uff21N"), "i can");
  // Spaced out among small letters, a lone one is an "l".
  EXPECT_EQ(Folded("r u a \u0406 o n e"), "r u a l o n e");
  // So dotted out ("а. Ӏ. о. n. е", "с. а. Ӏ. І"), but not before a word.
  EXPECT_EQ(Folded("a. \u04c0. o. n. e"), "a. l. o. n. e");
  EXPECT_EQ(Folded("c. a. \u04c0. \u0406 ok"), "c. a. l. l ok");
  EXPECT_EQ(Folded("\u04c0. am ok"), "i. am ok");
  EXPECT_EQ(Folded("\u0399. CAN"), "i. can");
  EXPECT_EQ(FoldsOf("se\u0399fie") & kFoldHomoglyph, kFoldHomoglyph);
}

TEST(FoldTest, CapitalILookAlikesInMixedCaseReadAsATermWord) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"lets", "selfie", "im"});
  // Capitals around it would make it "i", small letters "l": the term
  // word decides.
  EXPECT_EQ(Folded("\u0399ETS meet", config), "lets meet");
  EXPECT_EQ(Folded("\uff53\u0395\uff4c\uff46\u0399\uff45", config),
            "selfie");
  // The apostrophe dropped after it does not hide it.
  EXPECT_EQ(Folded("\u0196'\uff2d", config), "im");
  // Without a term word, the case decides.
  EXPECT_EQ(Folded("\u0399ETS meet"), "iets meet");
}

TEST(FoldTest, LookAlikesComeFromSkeletonsOfSeveralLetters) {
  // UTS #39 draws "d" as "cl": Cyrillic "ԁ" has that skeleton.
  EXPECT_EQ(Folded("sen\u0501"), "send");
  // Long s looks like "f" (its skeleton), though NFKC makes it "s".
  EXPECT_EQ(Folded("\u017free"), "free");
}

TEST(FoldTest, LeetspeakRowsAreWholeWrittenCharacters) {
  // NFKC writes "⒮" as "(s)": its parentheses are the letter's, so ")-("
  // between two such letters is no "h", as it is typed.
  EXPECT_EQ(Folded("\u24ae-\u24a0-\u24a7"), "(s)-(e)-(l)");
  EXPECT_EQ(Folded("x (s)-(e) x"), "x (she) x");
  // A row of characters NFKC writes one for one is read ("／＼／＼"), and
  // so is one with a mark on its last character.
  EXPECT_EQ(Folded("\uff53\uff0f\uff3c\uff0f\uff3c\uff45"), "sme");
  EXPECT_EQ(Folded("|-|\u0301ello"), "hello");
}

TEST(FoldTest, AnEmojiInsideAWordLeavesNothingOverAfterARow) {
  // The longest row is read before an emoji, as before a dash: "/\/\"
  // is "m", not two "/\".
  EXPECT_EQ(Folded("/\\/\\\U0001F4FB[-"), "m e");
  EXPECT_EQ(Folded("/\\/\\-y"), "m-y");
  // An emoji after symbols that are no row keeps them as typed.
  EXPECT_EQ(Folded("lol\U0001F602() ok"), "lol () ok");
  EXPECT_EQ(Folded("ok \\o/\U0001F602 yay"), "ok \\o/\U0001F602 yay");
}

TEST(FoldTest, StandInsReadAsATermWordOnlyWhereOnlyTheyDiffer) {
  FoldConfig config = DefaultFoldConfig();
  config.SetTermWords({"add", "me"});
  // "|>" and "|o" are "p" or "d": "a|>|>" is "add", but "a|>p" and "a|op"
  // have a typed "p" where "add" has a "d": they stay "app".
  EXPECT_EQ(Folded("a|>|> me", config), "add me");
  EXPECT_EQ(Folded("a|>p me", config), "app me");
  EXPECT_EQ(Folded("a|op me", config), "app me");
}

TEST(FoldTest, SymbolsNamedForLatinLettersFold) {
  // NEGATIVE CIRCLED and NEGATIVE SQUARED letters have no NFKC form.
  EXPECT_EQ(Folded("\U0001F162\U0001F154\U0001F15D\U0001F153"), "send");
  EXPECT_EQ(Folded("\U0001F17F\U0001F178\U0001F172"), "pic");
}

TEST(FoldTest, YpogegrammeniIsAnIotaOrAMarkNotASpace) {
  // NFKC makes the spacing "ͺ" a space and an "ι"; the "ι" is the letter.
  EXPECT_EQ(Folded("t\u037ame"), "time");
  // The combining one is a mark under a letter, which NFKC_Casefold
  // makes "ι".
  EXPECT_EQ(Folded("tel\u0345l"), "tell");
}

TEST(FoldTest, FoldAsciiLeavesLookAlikesThatNfkcMadeAsciiToFoldBase) {
  FoldConfig config = DefaultFoldConfig();
  for (const std::string text : {"se\uff29fie", "\u017free", "t\u037ame"}) {
    NormalizedText base;
    Normalize(text, &base);
    FoldedView view;
    EXPECT_FALSE(FoldAscii(text, base, config, &view)) << text;
  }
  const std::string plain = "\uff53\uff45\uff4e\uff44";  // Fullwidth "send".
  NormalizedText base;
  Normalize(plain, &base);
  FoldedView view;
  EXPECT_TRUE(FoldAscii(plain, base, config, &view));
  EXPECT_EQ(view.text, "send");
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

TEST(FoldTest, DisabledFoldsDoNothing) {
  FoldConfig config = DefaultFoldConfig();
  config.enabled = 0;
  EXPECT_EQ(Folded("s3nd pîc ѕеnd", config), "s3nd pîc ѕеnd");
}

// The scanner matches the base view itself where FoldBase says nothing was
// folded, so that must be exactly so.
TEST(FoldTest, NothingFoldedMeansTheBaseView) {
  std::mt19937 rng(3);
  const std::vector<std::string> pieces = {
      "a", "1", "!", " ", ".", "ѕ", "е", "é", "\xe2\x80\x8b", "🙂", "привет",
      "ооо", "ß", "ﬁ", "٣", "€", "γεια", "你好", "p1c", "sеnd", "x",
      // Emoji NFKC spells with a letter ("🈂" is "サ"): they stay emoji, a
      // change (found by tests/fuzz/fold_fuzzer.cc).
      "🈂", "🈶"};
  int unfolded = 0, folded = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    for (int k = rng() % 8; k >= 0; --k) text += pieces[rng() % pieces.size()];
    NormalizedText base;
    Normalize(text, &base);
    FoldUnits units;
    FoldedView view;
    const bool changed = FoldBase(text, base, DefaultFoldConfig(), &units);
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

TEST(FoldTest, AsciiFastPathEqualsTheGeneralPath) {
  std::mt19937 rng(5);
  const std::string alphabet = "aeilost1350!@$|_ .,-xyz\tAB'`(4/#<h";
  FoldConfig config = DefaultFoldConfig();
  config.alone_letters = (1u << ('a' - 'a')) | (1u << ('i' - 'a'));
  config.SetTermWords({"list", "lie", "silt", "isle", "tell", "hot", "cost"});
  TransformScratch scratch;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    // Some long texts, with more stand-ins than FoldAscii notes one by one.
    const int length = rng() % (round % 10 == 0 ? 400 : 24);
    for (int k = length; k > 0; --k) text += alphabet[rng() % alphabet.size()];
    if (round % 7 == 0) text += "\xe2\x80\x8b" "x";  // An invisible, removed.
    FoldedView fast, general;
    FoldUnits units;
    if (!FoldBothWays(text, config, &fast, &general, &units)) continue;
    ASSERT_EQ(fast.text, general.text) << text;
    ASSERT_EQ(fast.begin, general.begin) << text;
    ASSERT_EQ(fast.end, general.end) << text;
    ASSERT_EQ(fast.folds, general.folds) << text;
    FoldUnits joined;
    ASSERT_EQ(MayJoin(fast.text, config) ||
                  !JoinSpacedLetters(units, config, &scratch, &joined),
              true)
        << "MayJoin said no to a joinable text: " << text;
    FoldUnits squeezed;
    ASSERT_TRUE(MaySqueeze(fast.text) ||
                !SqueezeRepeats(units, /*force=*/false, &squeezed))
        << text;
  }
}

// MayJoinAsciiView() rules out the joins of a text MayJoin() passes only
// where they find nothing: on texts of words of 1 to 7 characters, spaced
// and dotted, with stand-ins, apostrophes and "_", under term words that
// spaced-out pieces spell.
TEST(FoldTest, MayJoinAsciiViewSaysNoOnlyWhereNothingJoins) {
  std::mt19937 rng(13);
  const std::vector<std::string> words = {
      "send", "me", "a", "pic", "how", "old", "are", "you", "i", "bf",
      "think", "later", "homework", "ok", "go", "u", "r", "ya", "5pm"};
  const std::string letters = "aeiostnbfmpdcu13$@!|(";
  const std::vector<std::string> gaps = {" ", " ", " ", ".", "_", "'",
                                         " . ", "-", "  ", ". ", ".'.",
                                         " '"};
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"bf", "boyfriend"}});
  config.SetTermWords({"send", "me", "a", "pic", "how", "old", "are", "you"});
  Vocabulary vocabulary;
  for (const char* word : {"send", "me", "a", "pic", "how", "old", "are",
                           "you", "i", "u"}) {
    vocabulary.Add(word);
  }
  TransformScratch scratch;
  int passed = 0, ruled_out = 0, joined = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int count = 1 + rng() % 14;
    for (int w = 0; w < count; ++w) {
      if (w > 0) text += gaps[rng() % gaps.size()];
      if (rng() % 2) {
        text += words[rng() % words.size()];
      } else {
        for (int k = 1 + rng() % (rng() % 3 == 0 ? 7 : 2); k > 0; --k) {
          text += letters[rng() % letters.size()];
        }
      }
    }
    FoldedView fast, general;
    FoldUnits units;
    if (!FoldBothWays(text, config, &fast, &general, &units)) continue;
    if (!MayJoin(fast.text, config)) continue;
    ++passed;
    FoldUnits out;
    const bool joins =
        JoinSpacedLetters(units, config, &scratch, &out) ||
        JoinSpacedPieces(units, config, vocabulary, &scratch, &out) ||
        HasInWordSeparator(units);
    joined += joins;
    if (MayJoinAsciiView(fast, config)) continue;
    ++ruled_out;
    ASSERT_FALSE(joins) << "MayJoinAsciiView said no to a joinable text: "
                        << text;
  }
  // The texts both join and are ruled out often.
  EXPECT_GT(joined, 500);
  EXPECT_GT(ruled_out, 500);
  EXPECT_GT(passed, ruled_out + joined / 2);
  // Benign texts with single letters parted by longer words, and texts
  // with a run.
  for (const char* text : {"i think i can go later i", "i i later mum i"}) {
    FoldedView fast, general;
    FoldUnits units;
    ASSERT_TRUE(FoldBothWays(text, config, &fast, &general, &units));
    EXPECT_TRUE(MayJoin(fast.text, config)) << text;
    EXPECT_FALSE(MayJoinAsciiView(fast, config)) << text;
  }
  for (const char* text : {"hey s e n d", "i.'.m", "ok b f", "i c u at 5 ok",
                           "se_nd i think i ok i later"}) {
    FoldedView fast, general;
    FoldUnits units;
    ASSERT_TRUE(FoldBothWays(text, config, &fast, &general, &units));
    EXPECT_TRUE(MayJoin(fast.text, config)) << text;
    EXPECT_TRUE(MayJoinAsciiView(fast, config)) << text;
  }
}

// FoldAscii() passes over a token whose shape tells that the token rules
// leave it as typed ("thanks!"; "5pm" once read "spm") without reading it:
// on tokens of those shapes and their near misses, made of term words,
// equivalences, their prefixes and stand-ins, it folds as FoldBase() does.
TEST(FoldTest, AsciiTokenShortcutsEqualTheGeneralPath) {
  std::mt19937 rng(11);
  const std::vector<std::string> words = {
      "list", "lis",  "liste", "hot",   "ho",    "tell", "tel", "cost",
      "cos",  "scho", "schoo", "school", "will", "wil",  "ya",  "se",
      "u",    "thanks", "iive", "liiive", "ok",  "pm",   "sti", "stii",
      "yo",   "lil",  "li",    "hi",    "4t",    "12",   "200", "a"};
  const std::string symbols = "!!||@$+(<#*.?-135047";
  FoldConfig config = DefaultFoldConfig();
  config.alone_letters = (1u << ('a' - 'a')) | (1u << ('i' - 'a'));
  config.SetEquivalences({{"yoi", "you"}, {"sei", "see"}, {"ya", "you"}});
  config.SetTermWords({"list", "lie", "tell", "hot", "cost", "school", "will",
                       "live", "still", "lil", "see"},
                      {"tell you", "see you", "hot pics"});
  int kept = 0, folded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int k = 1 + rng() % 4; k > 0; --k) {
      if (!text.empty()) text += ' ';
      std::string token = words[rng() % words.size()];
      const char symbol = symbols[rng() % symbols.size()];
      switch (rng() % 4) {
        case 0: token += symbol; break;  // "thanks!", "hot5".
        case 1: token.insert(token.begin(), symbol); break;  // "5pm".
        case 2: token += std::string(1 + rng() % 2, symbol); break;
        default: break;
      }
      text += token;
    }
    FoldedView fast, general;
    FoldUnits units;
    // A sequence ("|<") is FoldBase()'s only.
    if (!FoldBothWays(text, config, &fast, &general, &units)) continue;
    ASSERT_EQ(fast.text, general.text) << text;
    ASSERT_EQ(fast.folds, general.folds) << text;
    kept += fast.text == text;
    folded += fast.text != text;
  }
  // Both kinds, many of each.
  EXPECT_GT(kept, 3000);
  EXPECT_GT(folded, 3000);
}

}  // namespace
}  // namespace watchword
