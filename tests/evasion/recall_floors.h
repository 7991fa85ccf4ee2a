// The one table of limits for tests/evasion/disguise_recall_test.cc: a recall
// floor per disguise class (tests/evasion/disguise.cc) and for the pairs of
// classes, and a ceiling on near-miss false positives, each for the two
// rulesets the test measures. Both backends must meet every recall floor
// (near misses are scanned with RE2 only; the backends agree on verdicts).
//
// Floors are what main achieved when they were set, minus about two points,
// so that a regression fails. As the folds improve, raise them here to what
// the test prints. The generator is deterministic, but a change to it (a new
// class, another table row) moves the figures: set the floors again from the
// printed table in the same commit. So does another ICU version, whose
// confusables and emoji data differ; these were measured with ICU 72.
//
// TODO(#11): the targets are 98% for every class and every pair on
// tests/evasion/terms.textproto, 95% on rulesets/child_safety, and at most 1%
// near-miss false positives. Most floors below are far from that, honestly.
#ifndef WATCHWORD_TESTS_EVASION_RECALL_FLOORS_H_
#define WATCHWORD_TESTS_EVASION_RECALL_FLOORS_H_

namespace watchword::testing {

struct RecallLimit {
  const char* name;     // A class name, or one of the rows after the classes.
  double terms;         // Percent, on tests/evasion/terms.textproto.
  double child_safety;  // Percent, on rulesets/child_safety.
};

// Set at 10660d2 (main on 2026-12-06); raised at 86c7fe1, after the
// disguise table landed, and at 7bba5dc, when regexes gained folded forms
// (child_safety column), and for emoji_inside_words when separators inside
// words gained their own view, and for leet_symbols when "+", "$" and "€"
// could end a word, and for leet_multichar when the table gained the
// article's rows it had left out, and for the Cyrillic and Greek
// look-alikes when letters folded as written, not as case-folded, and for
// one_letter_symbol when "@", "!" and "|" could stand alone, and for the
// spacing classes when long phrases could match inside spaced-out runs,
// and for chat_speak when child_safety gained the usual SMS spellings. The
// spacing classes' child_safety floors went down by 3 points when the
// ruleset gained its weak single-message signals (issue #13), whose
// examples are mostly regexes. Raised for the spacing classes
// (child_safety) when regex forms could match inside spaced-out runs, and
// for the leetspeak classes when "6" stood for "g" and a word mixing the
// two meanings of "1" ("5t111") read as the term word it spells, and for
// run_together when 9-letter words made the view and long matches counted
// at either end of a word, and for leet_symbols when "#", "(" and "<"
// between letters, and "!" at a word's edge, could stand for letters in
// term words. Raised for the spacing classes (child_safety) when a shorter
// term could count inside a spaced-out run whose rest reads as words of
// the ruleset's terms (Vocabulary), and for run_together (child_safety)
// when a word of 9+ letters was read the same way, and for chat_speak
// (terms) when every ruleset got the shipped SMS spellings
// (ShippedChatSpeak()), and for leet_symbols when "#" could open a term
// word ("#ow"), and a doubled symbol between letters ("pa$$word") or one
// before the sentence's punctuation ("phon€?") could stand for letters.
// Raised for leet_multichar when rows of two readings ("|>" is "p" or "d",
// "ph" is "f" in the second reading) were read both ways, two-character
// rows counted beside another row or alone for a one-letter word, and a
// row that leaves a symbol over gave way to a shorter one ("o|_|)"). Raised
// for leet_symbols when every symbol stand-in could spell a term word with
// one letter typed or none ("!n", "(@n", "<#@+"), "(", "<" and "@" at its
// edges (not a "(" closed later), a pair of "$" or "€" could end a word
// ("fr€€") and an apostrophe between stand-ins went ("wha+'$"); and for
// all_pairs after those, and a two-character row standing alone among
// letters spaced out became a letter ("s [- n d").
// Raised for all_pairs when the look-alike, leetspeak and separator work
// of one session met (92.4 and 87.4).
// Raised for the look-alike classes, styled letters, combining marks and
// all pairs when look-alikes of the capital "I" read by their word's case,
// skeletons of several letters ("cl" for "d") counted, letters were read
// as written where NFKC changed them ("ſ", "Ｉ"), symbols named for Latin
// letters ("🅢") folded, and "ͺ" and "ͅ" stayed an iota and a mark.
// Raised for dotted_letters, underscores, emoji_inside_words and
// dotted_apostrophe when an apostrophe among the separators of a spaced-out
// run ("w_h_a_t_'_s", "d.o.n.'.t") or beside an emoji stopped breaking it,
// and for the spacing classes (child_safety) when a match of 6+ bytes
// counted anywhere in a spaced-out run, and for run_together,
// emoji_inside_words and all_pairs when stretched letters were squeezed in
// words run together and in words an emoji split, and for the emoji
// classes when an emoji that NFKC spells with a CJK letter ("🈶" is "有")
// stayed an emoji, and for run_together (child_safety) when a long match
// in the middle of a word counted where the rest read as words, and for
// dotted_apostrophe (child_safety) when two letters around an apostrophe
// ("i.'.m") made a run.
// underscores and dotted_apostrophe (child_safety)
// Raised for chat_speak, leet_digits and leet_digit_start when the
// ambiguous SMS spellings ("2", "4", "c", "ya", "da") and words spelled
// wholly in leetspeak digits ("70", "463") read as the term word they
// stand for beside a neighbour of the same phrase (FoldConfig::
// term_stand_ins()): 91.7 | 87.5, 97.5 | 91.5 and 95.2 | 86.0.
// Raised for run_together (child_safety) when regex forms spelled each
// word's chat-speak class and apostrophes on every view: 87.6.
// Raised for chat_speak and the digit and symbol leetspeak classes when a
// lone "4" that reads as "for" beside its phrase neighbours was left for
// the chat-speak fold instead of becoming "a", a number spelling a term
// word ("70") stopped making its neighbour a code ("6o 70"), and "|" could
// end a term word of five characters or one with another stand-in
// ("schoo|", "|l|"): 100 | 90.0, 100 | 91.8, 100 | 87.4 and 98.3 | 86.6.
// Raised for the same three (child_safety) when the words side by side in
// a regex's strings counted as a phrase's pairs ("(hear|see) (you|u)"
// has "see you"): 99.2, 96.9 and 95.4 (with 256 strings a regex at most;
// 512 gave 99.6, 96.9 and 96.4 but cost child_safety about 30 ms of load).
// Raised for leet_multichar when an underscore ending a token was left over
// after a row ("te|_|_" is "tell", not "teu_"): 97.5 | 96.0. Raised for
// leet_symbols when a token of two different symbols could spell a term
// word ("|$" for "is"): 99.2 | 93.2.
// Raised for leet_digit_start (child_safety) when "at", a number's cue
// word, read before a number ("47 12", "4t 12"): 97.4 and 96.0 for the
// digit classes.
// lowered when the ruleset's examples gained the straight, curly and bare
// spellings of its contractions (issue #11): these classes catch
// apostrophes less often than other words. The terms before and after that
// change give the same figures on the new examples.
// Raised for mixed_punctuation (child_safety) and all_pairs when an "_" beside an
// apostrophe or a mark ("t_'/s", "r,_d") separated spaced-out letters
// instead of breaking their run: 91.7 and 94.0 | 89.0.
// Raised for run_together when a phrase without spaces in a word shorter
// than kRunTogetherLetters ("rualone", "giftcard") became a whole-word
// literal of the folded matcher: 100 | 89.0. Raised for spaced_letters,
// dotted_letters and mixed_punctuation (child_safety) when a spaced-out run
// with 3 digits in a row was joined once more with them kept as a number
// ("1 0 0 0 r o b u x"): 94.3, 94.3 and 93.1; all_pairs 91.0.
// Raised for all_pairs when a mask among spaced-out letters ("s * n d",
// "p.*.c", "o_*_r") made the masked joined view (masked with spaced,
// dotted, mixed punctuation and underscores: 0, 0, 0 and 67% to 100% on
// terms; 0-75% to 75-100% on child_safety): 95.6 | 91.2.
// Raised for leet_symbols and leet_multichar when the alternate reading
// read term words too ("|ocat|on", "p|<k"), a row that is a letter both
// ways took the one its term word needs ("i|>" is "id"), and a sequence
// after an apostrophe was its letter ("don’'|'"): 100 | 94.8 and
// 97.5 | 98.4; and to 100 | 95.2 for leet_symbols when a letter a
// stand-in of one meaning made could read as the other in either reading
// ("!l!" for "ill" beside "|ocat|on").
// Raised for all_pairs with all of the above together: 96.1 | 92.2.
// Raised for leet_multichar and all_pairs when multi-character rows kept
// their separators: a row with dots after it among dotted letters
// ("p. /\. r."), an underscore before a row no "_|" of its own
// ("[]_|_|_|2"), a row after an emoji inside a disguised word
// ("t[-|_📷|_"), a row that splits two ways taking the term word
// ("te|_|_", "c/\/\/\"), and a row one reading leaves as typed read
// as the other's letter where that makes a term word ("vv|-|atsap|o"):
// 100 | 99.2; all_pairs 96.4 | 92.5 (leet_multichar with dotted letters
// 67 to 97% on terms, with underscores 70 to 100%). Raised for all_pairs
// when a dash or a mask after a row was no leftover ("/\/\-y",
// "bet\/\/*en"), dotted letters spelled the term word an ambiguous row
// needs ("s.n.a.|*.c"), and a symbol that opens or ends words counted as a
// letter beside a row ("+()"): 96.4 | 92.7.
// Raised for the separator classes (child_safety) when every digit of a
// spaced-out run was also read as a number ("g r a d e 7", "$1 0 0"), an
// "_" beside a punctuation mark became a space ("over,_dont"), a mask
// counted as a letter beside separators ("se🎧*📬d"), spaced-out letters
// counted a word for every four in proximity, and words dotted within and
// spaced between kept their gaps in a second joined reading: spaced
// 94.3 -> 98.4, dotted 94.3 -> 99.2, mixed_punctuation 93.1 -> 96.2,
// underscores 96.8 -> 99.3, dotted_apostrophe 98.7 -> 100, all_pairs
// 96.1 -> 96.4 | 92.2 -> 93.3.
// Raised for all_pairs when words run together and then spaced out ("s e n
// dm eap i c") joined where their pieces read as term words, words run
// together with masks ("s*ndmeap*c") split into term words, and short
// phrases run together matched stretched ("frerobux"): spaced, dotted,
// mixed punctuation, masked and repeated letters with run_together from
// 23, 23, 43, 23 and 89% to 100, 100, 100, 97 and 100% on terms, and from
// 0, 8, 17, 0 and 75% to 92, 67, 92, 100 and 75% on child_safety:
// 97.1 | 93.5; with pieces of up to 4 letters ("truw"), words ending inside
// the last piece ("o.ub.t.w") and masked words of 6+ letters ("gi*tca*d"):
// 97.2 | 93.6; with a longer word at either end of a stretch
// ("w.a.t'.surage"): 97.2 | 93.7; with fewer longer pieces than single
// letters in a stretch, 97.1 | 93.7.
// Raised for all_pairs when a row of emoji was one separator among dotted
// letters, a stretched word with stand-ins of two meanings read as its
// term word ("11veeee"), a capital-I look-alike read by its dotted
// neighbours' case, a joined run took each meaning of "1" its words need
// ("o u r 1 1 t 7 l"), and emoji between dotted words kept their gaps:
// 99.0 -> 99.3 | 96.3 -> 96.8 (dotted_letters+emoji_inside_words,
// leet_digits+spaced_letters, cyrillic and greek_lookalikes+dotted_letters
// to 100 on both).
// Raised for run_together (child_safety) when words typed together with a
// number kept its digits in a second reading ("illvenmoyou20bucks"), and
// for all_pairs when a phrase typed together spelled its words' shipped
// stand-ins ("switch2discord", "somature4yrage") and a token spelled a
// chat-speak word with symbols ("y@"): run_together 89.0 -> 96.1 on
// child_safety, all_pairs 99.0 | 96.3 -> 99.1 | 96.5.
// Raised for all_pairs when a run of letters and stand-ins read as several
// term words end to end ("don+tel!yourparent$", "#owo|d@reyou") and
// spaced-out letters joined read their stand-ins as the term word they
// spell ("t-e-l-!" is "tell"): leet_symbols with run_together, dotted
// letters, mixed punctuation and spaced letters from 57, 77, 80 and 97% to
// 100, 90, 100 and 100% on terms: 99.3 | 96.6.
// Raised after merging the tenth session's work (masked words read with
// stand-ins, "-|-" among dashed letters, digit-and-symbol tokens, a short
// word's stand-in read by its phrase neighbour): all_pairs 99.7 | 97.2,
// leet_symbols 97.0 on child_safety, and the worst single pair, no longer
// 0: 93.3 on terms (cyrillic_lookalikes+mixed_punctuation and two others),
// 50.0 on child_safety (repeated_letters+mixed_punctuation, 12 forms).
// Raised for all_pairs on terms when look-alikes of the capital "I" were
// read by the word a joined view makes whole, two lone letters spelled a
// chat-speak word ("b f"), rows were whole written characters ("⒮"), and
// emoji inside words left nothing over after a row: 13 pairs of separators,
// look-alikes, emoji and chat-speak 93.3-96.7 -> 100; all_pairs 99.7 -> 99.9.
// Raised for leet_symbols (child_safety) and all_pairs when digit, symbol,
// mask and multi-character leetspeak read in more places by their phrase
// ("1$ 4nyone", "your 49€", "7[]", "|_will", "!canpickyouup", "4*3",
// "m****et", "700000", "c/-\/\/\€|2@"): 97.0 -> 97.7 and
// 99.7 -> 99.8 | 97.2 -> 97.3.
// Raised on terms after the eleventh session's merges: all_pairs 98 (99.99
// measured, one form missed: "p12" for "plz") and worst_pair 94.7 (96.7).
// Raised for run_together, all_pairs and worst_pair (child_safety) when the
// words a regex spells beside another ("t[uú] y yo", "sol[oa] en") and
// one-letter stand-in words ("c") read runs, a one-word phrase's other
// spellings ("any1") matched inside runs, stretched words dotted within
// kept their gaps when squeezed, and masked runs split with fewer
// one-letter words and kept their unmasked words, and stretched dotted
// runs kept their digits as a number in a second reading: run_together
// 95.9 -> 97.0, all_pairs 97.2 -> 97.8, worst pair 50.0 -> 75.0
// (combining_marks+dotted_apostrophe, 12 forms).
// Raised for worst_pair on terms when "2" read as "z" in a spelling of a
// term word or a chat-speak word that holds a letter, where a phrase needs
// the word ("p12" for "plz"): chat_speak+leet_digits 96.7 -> 100, every
// pair 100 on terms.
// clang-format off
inline constexpr RecallLimit kRecallLimits[] = {
    // class                  terms  child_safety   (recall floors, %)
    {"apostrophe",              98,    98},
    {"chat_speak",              98,    97},
    {"one_letter_digit",        98,    98},
    {"one_letter_symbol",       98,    98},
    {"mixed_case",              98,    98},
    {"leet_digits",             98,    95},
    {"leet_digit_start",        98,    94},
    {"leet_symbols",            98,    95.5},
    {"leet_multichar",          98,    97},
    {"small_capitals",          98,    98},
    {"latin_lookalikes",        98,    97},
    {"cyrillic_lookalikes",     98,    97},
    {"greek_lookalikes",        98,    97},
    {"fullwidth",               98,    98},
    {"styled_letters",          98,    97},
    {"diacritics",              98,    96},
    {"masked",                  98,    97},
    {"combining_marks",         98,    96},
    {"repeated_letters",        98,    98},
    {"spaced_letters",          98,    96},
    {"dotted_letters",          98,    97},
    {"mixed_punctuation",       98,    94},
    {"underscores",             98,    97},
    {"invisible_characters",    98,    98},
    {"emoji_inside_words",      98,    97},
    {"dotted_apostrophe",       98,    98},
    {"emoji_between_words",     98,    97},
    {"run_together",            98,    95},
    // Every disguised form of every pair of classes, together.
    {"all_pairs",               98,    95.8},
    // The worst single pair of classes.
    {"worst_pair",               98,    73},
    // A ceiling, not a floor: the share of tests/evasion/data/near_misses.txt
    // that matches any rule.
    {"near_miss_false_positives",   0.7,   0.5},
};
// clang-format on

}  // namespace watchword::testing

#endif  // WATCHWORD_TESTS_EVASION_RECALL_FLOORS_H_
