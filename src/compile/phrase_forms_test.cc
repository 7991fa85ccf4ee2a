#include "src/compile/phrase_forms.h"

#include <string>

#include "gtest/gtest.h"
#include "src/normalize/fold_config.h"
#include "tests/testing/fold_util.h"

namespace watchword {
namespace {

using ::watchword::testing::DefaultFoldConfig;

TEST(PhraseFormsTest, PhrasesFoldAsText) {
  EXPECT_EQ(FoldPhrase("S3nd me a PÎC", DefaultFoldConfig()), "send me a pic");
  EXPECT_EQ(FoldPhrase("don't", DefaultFoldConfig()), "dont");
}

TEST(PhraseFormsTest, EquivalencesFoldWholeWords) {
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}, {"r", "are"}});
  EXPECT_EQ(FoldPhrase("r u home", config), "are you home");
  EXPECT_EQ(FoldPhrase("run up", config), "run up");  // Not inside words.
  // ASCII words inside text of another script.
  EXPECT_EQ(FoldPhrase("привет r u", config), "привет are you");
  // Words of any script, and canonical words of any length.
  config.SetEquivalences({{"фото", "pic"}, {"pix", "фото"}});
  EXPECT_EQ(FoldPhrase("моё фото", config), "мое pic");
  EXPECT_EQ(FoldPhrase("send pix now", config), "send фото now");
  EXPECT_EQ(FoldPhrase("фотоаппарат", config), "фотоаппарат");
}

TEST(PhraseFormsTest, SqueezedPhrasesCutEveryDoubleLetter) {
  EXPECT_EQ(SqueezePhrase("cool book", DefaultFoldConfig()), "col bok");
  FoldConfig config = DefaultFoldConfig();
  config.SetEquivalences({{"u", "you"}});
  EXPECT_EQ(SqueezePhrase("u see", config), "you se");
  // Digits are not letters.
  EXPECT_EQ(SqueezeFolded("cooool 1000 bookk"), "col 1000 bok");
  EXPECT_EQ(SqueezeFolded("ппривет"), "привет");
}

TEST(PhraseFormsTest, MaskedRegexes) {
  EXPECT_EQ(MaskedPhraseRegex("pic"), "(?:p|\\*)(?:i|\\*)(?:c|\\*)");
  EXPECT_EQ(MaskedPhraseRegex("a b"), "(?:a|\\*)\\ (?:b|\\*)");
  EXPECT_EQ(MaskedSqueezedPhraseRegex("little"),
            "(?:l|\\*)(?:i|\\*)(?:t|\\*)(?:t|\\*)?(?:l|\\*)(?:e|\\*)");
  EXPECT_EQ(MaskedSqueezedPhraseRegex("aaa b"),
            "(?:a|\\*)(?:a|\\*)?\\ (?:b|\\*)");
}

TEST(PhraseFormsTest, QuoteMetaEscapesAsciiSymbolsOnly) {
  EXPECT_EQ(QuoteMeta("a.b_c 9"), "a\\.b_c\\ 9");
  EXPECT_EQ(QuoteMeta("(?:x)*"), "\\(\\?\\:x\\)\\*");
  EXPECT_EQ(QuoteMeta("фото"), "фото");
}

}  // namespace
}  // namespace watchword
