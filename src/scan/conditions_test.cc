#include "src/scan/conditions.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace watchword {
namespace {

v1::Condition ParseCondition(const std::string& text) {
  v1::Condition c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

v1::Context ParseContext(const std::string& text) {
  v1::Context c;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &c)) << text;
  return c;
}

TEST(ConditionsTest, AgeBandSetMatchesListedBands) {
  v1::Condition minor = ParseCondition(
      "recipient_age_band { any_of: [AGE_BAND_UNDER_13, AGE_BAND_13_15] }");
  EXPECT_TRUE(ConditionHolds(minor, ParseContext("recipient_age_band: AGE_BAND_13_15")));
  EXPECT_FALSE(ConditionHolds(minor, ParseContext("recipient_age_band: AGE_BAND_ADULT")));
  EXPECT_FALSE(ConditionHolds(minor, ParseContext("")));  // Unknown.
}

TEST(ConditionsTest, UnspecifiedStandsForUnknown) {
  v1::Condition adult_or_unknown = ParseCondition(
      "sender_age_band { any_of: [AGE_BAND_ADULT, AGE_BAND_UNSPECIFIED] }");
  EXPECT_TRUE(ConditionHolds(adult_or_unknown, ParseContext("")));
  EXPECT_FALSE(ConditionHolds(adult_or_unknown,
                              ParseContext("sender_age_band: AGE_BAND_16_17")));
}

TEST(ConditionsTest, NegateInvertsThePredicate) {
  v1::Condition not_dm = ParseCondition(
      "surface { any_of: SURFACE_DIRECT_MESSAGE } negate: true");
  EXPECT_FALSE(ConditionHolds(not_dm, ParseContext("surface: SURFACE_DIRECT_MESSAGE")));
  EXPECT_TRUE(ConditionHolds(not_dm, ParseContext("surface: SURFACE_PUBLIC")));
}

TEST(ConditionsTest, AccountAgeRangeIsInclusiveAndUnknownNeverMatches) {
  v1::Condition new_account =
      ParseCondition("sender_account_age_days { max: 7 }");
  EXPECT_TRUE(ConditionHolds(new_account, ParseContext("sender_account_age_days: 7")));
  EXPECT_TRUE(ConditionHolds(new_account, ParseContext("sender_account_age_days: 0")));
  EXPECT_FALSE(ConditionHolds(new_account, ParseContext("sender_account_age_days: 7.5")));
  EXPECT_FALSE(ConditionHolds(new_account, ParseContext("")));
}

TEST(ConditionsTest, RelationshipSet) {
  v1::Condition strangers =
      ParseCondition("relationship { any_of: RELATIONSHIP_NOT_CONNECTED }");
  EXPECT_TRUE(ConditionHolds(strangers,
                             ParseContext("relationship: RELATIONSHIP_NOT_CONNECTED")));
  EXPECT_FALSE(ConditionHolds(strangers, ParseContext("relationship: RELATIONSHIP_MUTUAL")));
}

TEST(ConditionsTest, CustomAttributes) {
  v1::Condition spanish = ParseCondition(
      "string_attribute { name: 'locale' any_of: ['es', 'es-MX'] }");
  v1::Condition reported = ParseCondition(
      "number_attribute { name: 'reports' range { min: 2 } }");
  v1::Context context = ParseContext(
      "string_attributes { key: 'locale' value: 'es-MX' } "
      "number_attributes { key: 'reports' value: 3 }");
  EXPECT_TRUE(ConditionHolds(spanish, context));
  EXPECT_TRUE(ConditionHolds(reported, context));
  EXPECT_FALSE(ConditionHolds(spanish, ParseContext("")));
  EXPECT_FALSE(ConditionHolds(reported, ParseContext("")));
  EXPECT_FALSE(ConditionHolds(
      reported, ParseContext("number_attributes { key: 'reports' value: 1 }")));
}

TEST(ConditionsTest, AllConditionsMustHold) {
  std::vector<v1::Condition> conditions = {
      ParseCondition("recipient_age_band { any_of: AGE_BAND_13_15 }"),
      ParseCondition("sender_age_band { any_of: AGE_BAND_ADULT }")};
  EXPECT_TRUE(AllConditionsHold(
      conditions, ParseContext("recipient_age_band: AGE_BAND_13_15 "
                               "sender_age_band: AGE_BAND_ADULT")));
  EXPECT_FALSE(AllConditionsHold(
      conditions, ParseContext("recipient_age_band: AGE_BAND_13_15")));
  EXPECT_TRUE(AllConditionsHold({}, ParseContext("")));
}

}  // namespace
}  // namespace watchword
