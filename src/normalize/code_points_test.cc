#include "src/normalize/code_points.h"

#include "gtest/gtest.h"
#include "unicode/uscript.h"

namespace watchword {
namespace {

TEST(CodePointInfoTest, TrieAgreesWithIcuForEveryCodePoint) {
  const CodePointInfo& info = CodePointInfo::Get();
  for (UChar32 c = 0; c <= 0x10FFFF; c += (c < 0x30000 ? 1 : 97)) {
    ASSERT_EQ(info.Of(c), CodePointInfo::Compute(c)) << "U+" << std::hex << c;
  }
}

TEST(BaseLettersTest, TrieAgreesWithIcuForEveryCodePoint) {
  const BaseLetters& bases = BaseLetters::Get();
  for (UChar32 c = 0; c <= 0x10FFFF; c += (c < 0x30000 ? 1 : 97)) {
    ASSERT_EQ(static_cast<uint32_t>(bases.Of(c)), BaseLetters::Compute(c))
        << "U+" << std::hex << c;
  }
}

TEST(BaseLettersTest, StripsMarksFromPrecomposedLetters) {
  const BaseLetters& bases = BaseLetters::Get();
  EXPECT_EQ(bases.Of(0x00E9), 'e');     // é
  EXPECT_EQ(bases.Of(0x00F1), 'n');     // ñ
  EXPECT_EQ(bases.Of(0x0439), 0x0438);  // й -> и
  EXPECT_EQ(bases.Of('e'), 0);
  EXPECT_EQ(bases.Of(0xAC00), 0);  // 가: two jamo, no mark.
}

TEST(CodePointInfoTest, KnowsLettersMarksAndLookAlikes) {
  const CodePointInfo& info = CodePointInfo::Get();
  const uint32_t cyrillic_a = info.Of(0x0430);  // а
  EXPECT_TRUE(cyrillic_a & CodePointInfo::kLetter);
  EXPECT_EQ(CodePointInfo::Homoglyph(cyrillic_a), 'a');
  EXPECT_EQ(CodePointInfo::Script(cyrillic_a), USCRIPT_CYRILLIC);
  const uint32_t cyrillic_be = info.Of(0x0431);  // б: no Latin twin
  EXPECT_TRUE(cyrillic_be & CodePointInfo::kLetter);
  EXPECT_EQ(CodePointInfo::Homoglyph(cyrillic_be), 0);
  EXPECT_EQ(CodePointInfo::Homoglyph(info.Of('a')), 0);  // Latin stays.
  EXPECT_EQ(CodePointInfo::Script(info.Of('a')), USCRIPT_LATIN);
  EXPECT_TRUE(info.Of(0x0301) & CodePointInfo::kNonspacingMark);
  EXPECT_TRUE(info.Of(0x00E9) & CodePointInfo::kDecomposable);  // é
  EXPECT_FALSE(info.Of(0x1F600) & CodePointInfo::kLetter);      // 😀
  EXPECT_FALSE(info.Of(0x1F600) & CodePointInfo::kWord);
  EXPECT_TRUE(info.Of(0x0661) & CodePointInfo::kWord);  // Arabic-Indic 1
  EXPECT_TRUE(info.Of(0x0301) & CodePointInfo::kWord);  // A mark
  EXPECT_FALSE(info.Of(0x0661) & CodePointInfo::kLetter);
  EXPECT_EQ(CodePointInfo::Script(info.Of(0x4E00)), USCRIPT_HAN);
  // Latin look-alikes: a small capital, and not an accented letter.
  EXPECT_EQ(CodePointInfo::Homoglyph(info.Of(0x1D00)), 'a');  // ᴀ
  EXPECT_TRUE(info.Of(0x1D00) & CodePointInfo::kLatinLookAlike);
  EXPECT_FALSE(info.Of(0x0430) & CodePointInfo::kLatinLookAlike);
  EXPECT_EQ(CodePointInfo::Homoglyph(info.Of(0x00E9)), 0);  // é
  // Letters tied to Latin only by their capitals: Greek κ.
  EXPECT_EQ(CodePointInfo::Homoglyph(info.Of(0x03BA)), 'k');
}

}  // namespace
}  // namespace watchword
