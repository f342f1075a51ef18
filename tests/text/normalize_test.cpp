#include "clearance/text/normalize.hpp"

#include <gtest/gtest.h>

#include "clearance/text/fold.hpp"
#include "test_support.hpp"

namespace clearance::text {
namespace {

std::string joined(const std::vector<Token>& toks) {
  std::string s;
  for (auto& t : toks) s += (s.empty() ? "" : " ") + t.text;
  return s;
}

std::string norm(const std::string& name, PartyType type = PartyType::kEntity) {
  return joined(tokenize_name(name, type, *testing::tables()));
}

TEST(Fold, CaseAccentsAndScripts) {
  EXPECT_EQ(fold("Türkiye"), "turkiye");
  EXPECT_EQ(fold("ＡＢＣ Ｃｏ"), "abc co");
  EXPECT_EQ(fold("Москва"), "moskva");
  EXPECT_EQ(fold("ÉCOLE Française"), "ecole francaise");
  EXPECT_EQ(fold("华为"), "华为");  // Han stays Han for the Chinese path
}

// Regression (issue 9): a soft hyphen or a zero-width character inside a word split it or stuck to
// it, and the listed name was no longer found.
TEST(Fold, Regression_FormatCharactersInsideAWordAreRemoved) {
  EXPECT_EQ(fold("Hua\u00ADwei"), "huawei");              // soft hyphen
  EXPECT_EQ(fold("Hua\u200Bwei"), "huawei");              // zero-width space
  EXPECT_EQ(fold("Hua\u200Cw\u200Dei\u2060"), "huawei");  // zero-width non-joiner, joiner, word joiner
  EXPECT_EQ(fold("\uFEFFRosoboron\u200Eexport"), "rosoboronexport");  // BOM, left-to-right mark
  EXPECT_EQ(fold("Мо\u00ADсква"), "moskva");
  EXPECT_EQ(fold("华\u200B为"), "华为");
  EXPECT_EQ(raw_tokens(fold("Hik\u00ADvision Digi\u200Btal")),
            (std::vector<std::string>{"hikvision", "digital"}));
}

TEST(DetectScript, DominantScript) {
  EXPECT_EQ(detect_script("Huawei Technologies"), Script::kLatin);
  EXPECT_EQ(detect_script("华为技术有限公司"), Script::kHan);
  EXPECT_EQ(detect_script("Газпром"), Script::kCyrillic);
  EXPECT_EQ(detect_script("株式会社ニコン"), Script::kKana);
}

TEST(Tokenize, PunctuationAndInitialisms) {
  EXPECT_EQ(raw_tokens("sino-ki"), (std::vector<std::string>{"sino", "ki"}));
  EXPECT_EQ(raw_tokens("al-sha'iri"), (std::vector<std::string>{"al", "shairi"}));
  EXPECT_EQ(raw_tokens("s.a. de c.v."), (std::vector<std::string>{"sa", "de", "cv"}));
  EXPECT_EQ(raw_tokens("jose a. lopez"), (std::vector<std::string>{"jose", "a", "lopez"}));
  EXPECT_EQ(raw_tokens("yamaki k k"), raw_tokens("yamaki, k.k."));
  EXPECT_EQ(raw_tokens("g & m autos"), (std::vector<std::string>{"gm", "autos"}));
  EXPECT_EQ(raw_tokens("smith & sons"), (std::vector<std::string>{"smith", "and", "sons"}));
}

TEST(Tokenize, LegalFormsFoldToOneClass) {
  // "Co., Ltd.", "Company Limited" and "Limited" are the same legal form.
  EXPECT_EQ(norm("Sky Rise Technology Ltd."), norm("Sky Rise Technology Limited"));
  EXPECT_EQ(norm("Wuhan Sanjiang Import and Export Co., Ltd."),
            norm("Wuhan Sanjiang Import and Export Company Limited"));
  auto toks = tokenize_name("OOO Betreit", PartyType::kEntity, *testing::tables());
  ASSERT_FALSE(toks.empty());
  EXPECT_EQ(toks[0].kind, TokenKind::kLegal);
  EXPECT_EQ(toks[0].raw, "ooo");
}

TEST(Tokenize, PeopleKeepWordsThatLookLikeLegalForms) {
  // A person's name is never read as a legal form.
  auto toks = tokenize_name("CO, Ma", PartyType::kPerson, *testing::tables());
  ASSERT_EQ(toks.size(), 2u);
  EXPECT_EQ(toks[0].kind, TokenKind::kWord);
}

TEST(Tokenize, AbbreviationsExpand) {
  EXPECT_EQ(norm("Harbin Engineering Univ."), norm("Harbin Engineering University"));
  EXPECT_EQ(norm("Guangzhou Aviation Tech Co., Ltd."), norm("Guangzhou Aviation Technology Co., Ltd."));
}

// screening-dev (legal_form): "Chinese Academy of Sciences Institution of Microelectronics" found
// nothing, since institution and institute met neither as one word nor within typing distance.
TEST(Tokenize, OtherFormsOfAGenericWordReadAsIt) {
  EXPECT_EQ(norm("Beijing Institution of Technology"), norm("Beijing Institute of Technology"));
  EXPECT_EQ(norm("Harbin Engineers University"), norm("Harbin Engineering University"));
  EXPECT_EQ(norm("Shenzhen Technological Industrial Co"), norm("Shenzhen Technology Industry Co"));
  EXPECT_EQ(tokenize_name("Scientific", PartyType::kEntity, *testing::tables())[0].kind, TokenKind::kGeneric);
  // Different words stay apart: electric is not electronic, trade is not trading.
  EXPECT_NE(norm("General Electric"), norm("General Electronic"));
  EXPECT_NE(norm("Dexias Trade"), norm("Dexias Trading"));
  // A person's name keeps its words.
  EXPECT_EQ(norm("John Engineer", PartyType::kPerson), "john engineer");
  // A form must name a generic word: the table says where it does not.
  std::string error = testing::text_table_error("generic_words.tsv", "institutions\tform\tinstitutes");
  EXPECT_NE(error.find("generic_words.tsv:"), std::string::npos) << error;
  EXPECT_NE(error.find("expansion: 'institutes' is not a generic word"), std::string::npos) << error;
}

// screening-dev (legal_form): "RLY Ic Ve Dis Ticaret Ltd. Sirketi" did not read as the listed
// "... Dis Ticaret Limited Sirketi": a phrase's word that is a legal form by itself may be written
// as any form of its class.
TEST(Tokenize, ALegalPhraseReadsWithAnyFormOfItsOneWordForms) {
  EXPECT_EQ(norm("RLY Ic Ve Dis Ticaret Ltd. Sirketi"), "rly ic ve ~ltd");
  EXPECT_EQ(norm("RLY Ic Ve Dis Ticaret Limited Sirketi"), "rly ic ve ~ltd");
  EXPECT_EQ(norm("DBC Makina Sanayi ve Ticaret A.S."), norm("DBC Makina Sanayi ve Ticaret Anonim Sirketi"));
  // Ending the name without its legal form, a phrase's beginning is marked, not dropped.
  auto toks = tokenize_name("DBC Makina Sanayi ve Ticaret", PartyType::kEntity, *testing::tables());
  ASSERT_EQ(toks.size(), 5u);
  EXPECT_FALSE(toks[1].legal_tail);
  EXPECT_TRUE(toks[2].legal_tail && toks[3].legal_tail && toks[4].legal_tail);
  EXPECT_FALSE(tokenize_name("Sanayi ve Ticaret", PartyType::kEntity, *testing::tables())[0].legal_tail);
}

// Issue 11 (item 5) and screening-dev (missing_token): "FELIXTAPIA, DE R.L. DE C.V." read rl and
// cv as rare words and missed the listed "FELIXTAPIA, S.C. DE R.L. DE C.V.". A legal phrase's
// ending that ends a name is a legal form.
TEST(Tokenize, TheEndingOfALegalPhraseEndingANameIsALegalForm) {
  auto legal_only_after_name = [](const std::string& name) {
    auto toks = tokenize_name(name, PartyType::kEntity, *testing::tables());
    return toks.size() == 2 && toks[0].text == "felixtapia" && toks[1].kind == TokenKind::kLegal;
  };
  EXPECT_TRUE(legal_only_after_name("FELIXTAPIA, DE R.L. DE C.V."));
  EXPECT_TRUE(legal_only_after_name("FELIXTAPIA R.L. DE C.V."));
  EXPECT_TRUE(legal_only_after_name("Felixtapia de C.V."));
  EXPECT_TRUE(legal_only_after_name("FELIXTAPIA, S.C. DE R.L. DE C.V."));  // the whole phrase
  // An ending alone is a name's only words: they stay words.
  EXPECT_NE(tokenize_name("De C.V.", PartyType::kEntity, *testing::tables())[0].kind, TokenKind::kLegal);
}

// screening-dev (spacing): "CyberinnpTE LTD" and "DONCOALTRADESP Z O O" missed Cyberinn PTE LTD and
// DONCOALTRADE SP Z O O: a legal form glued to the word before it is split off.
TEST(Tokenize, ALegalFormGluedToTheWordBeforeItIsSplitOff) {
  EXPECT_EQ(norm("CyberinnpTE LTD"), norm("Cyberinn PTE LTD"));
  EXPECT_EQ(norm("DONCOALTRADESP Z O O"), norm("DONCOALTRADE SP Z O O"));
  EXPECT_EQ(norm("Lizenopen Joint Stock Co"), norm("Lizen Open Joint Stock Co"));
  // Not where the letters belong to the word and say nothing more than the words after it.
  EXPECT_EQ(norm("Maiwand Tobacco Limited"), "maiwand tobacco ~ltd");
  EXPECT_EQ(norm("Farteco Ltd."), "farteco ~ltd");
  EXPECT_EQ(norm("Huawei Technologies (Thailand) Co."), "huawei technology thailand ~co");
  EXPECT_EQ(norm("Canales Venecia Ltda."), "canales venecia ~ltd");
  EXPECT_EQ(norm("IRANIANATLAS COMPANY"), "iranianatlas ~co");
}

// Issue 11 (item 5) and screening-dev (spacing): Latin words were read as Chinese place names in
// every name but a person's: "Aman Trading" as "oman trading", the DPL entity "MUHAMMED ALI
// HIJAZI" as "muhammed ngari hijazi" (阿里, the Tibetan prefecture), so "MUHAMMEDALI HIJAZI" could
// not meet it. A word is read as pinyin only among other pinyin.
TEST(Tokenize, LatinWordsAreNotReadAsChinesePlaceNames) {
  EXPECT_EQ(norm("Aman Trading"), "aman trading");
  EXPECT_EQ(norm("MUHAMMED ALI HIJAZI"), "muhammed ali hijazi");
  EXPECT_EQ(norm("Ali Electronics"), "ali electronic");
  // Names written in pinyin are still read.
  EXPECT_EQ(norm("Longxin Zhongke Jishu"), "loongson zhongke technology");
  EXPECT_EQ(norm("Xianggang Huawei Keji"), "hong kong huawei technology");
  EXPECT_EQ(norm("Huawei Jishu Youxiangongsi"), "huawei technology ~ltd");
}

TEST(Phonetic, TransliterationVariantsShareAKey) {
  EXPECT_EQ(phonetic_key("mohamed"), phonetic_key("muhammad"));
  EXPECT_EQ(phonetic_key("mohammad"), phonetic_key("mohamad"));
  EXPECT_EQ(phonetic_key("hussein"), phonetic_key("husain"));
  EXPECT_EQ(phonetic_key("ali"), phonetic_key("aly"));
  EXPECT_NE(phonetic_key("hassan"), phonetic_key("hashem"));
}

TEST(Tokenize, MisspeltLegalFormsAreStillLegalForms) {
  EXPECT_EQ(norm("Joint Stock Copany Aerocomposit"), norm("Joint Stock Company Aerocomposit"));
  EXPECT_EQ(norm("Jeint Stock Copany Votkinsky Zavod"), norm("Joint Stock Company Votkinsky Zavod"));
  EXPECT_EQ(norm("MAIWAND BEVERAGES LIMIED"), norm("MAIWAND BEVERAGES LIMITED"));
  EXPECT_EQ(norm("Novax Goup S.A."), norm("Novax Group S.A."));
  // A word near a legal form is not corrected when it is the only distinctive word left.
  EXPECT_NE(norm("Golding Ltd"), norm("Holding Ltd"));
}

TEST(Tokenize, NamesKeepTheirLettersGenericWordsLosePlurals) {
  EXPECT_EQ(norm("Rojas", PartyType::kPerson), "rojas");
  EXPECT_EQ(norm("Huawei Technologies"), norm("Huawei Technology"));
}

// Issue 11: Arabic name compounds are read as the words the lists also write apart
// (data/text/name_parts.tsv); the article forms only in names that may be people's.
TEST(Tokenize, ArabicNameCompoundsSplitIntoTheirWords) {
  EXPECT_EQ(norm("Abdelkader", PartyType::kPerson), "abd al kader");
  EXPECT_EQ(norm("Abdul Qadir", PartyType::kPerson), "abd al qadir");
  EXPECT_EQ(norm("Abd al-Qadir", PartyType::kPerson), "abd al qadir");
  EXPECT_EQ(norm("Abdurrahman", PartyType::kPerson), "abd al rahman");
  EXPECT_EQ(norm("Abdullah", PartyType::kPerson), "abd allah");
  EXPECT_EQ(norm("Saifullah", PartyType::kPerson), "saif allah");
  EXPECT_EQ(norm("Saif Ullah", PartyType::kPerson), "saif allah");
  EXPECT_EQ(norm("Jalaluddin", PartyType::kPerson), "jalal al din");
  EXPECT_EQ(norm("Noureddine", PartyType::kPerson), "nour al din");
  EXPECT_EQ(norm("Jalal-ud-Din", PartyType::kPerson), "jalal al din");
  EXPECT_EQ(norm("EL KHAIRY, Hamad", PartyType::kPerson), "al khairy hamad");
  // Short words are left alone; "AS" stays a legal form in a company name.
  EXPECT_EQ(norm("Abdu", PartyType::kPerson), "abdu");
  EXPECT_EQ(norm("Mullah Omar", PartyType::kPerson), "omar");  // a title
  EXPECT_EQ(norm("Norsk Hydro AS"), "norsk hydro ~jsc");
}

// Issue 11: people's names are read through their habits: nicknames (data/text/nicknames.tsv),
// titles of several words, digits glued to a name or standing for letters.
TEST(Tokenize, PersonNameHabits) {
  EXPECT_EQ(norm("Bob Smith", PartyType::kPerson), "robert smith");
  EXPECT_EQ(norm("Robbie Smith", PartyType::kPerson), "robert smith");
  EXPECT_EQ(norm("Bill Gates", PartyType::kUnknown), "william gates");
  EXPECT_EQ(norm("Dima Ivanov", PartyType::kPerson), "dmitriy ivanov");
  EXPECT_EQ(norm("Ig0r Trading LLC"), "ig0r trading ~llc");  // digits: only in a person's name
  EXPECT_EQ(norm("His Excellency Ali Hassan", PartyType::kPerson), "ali hassan");
  EXPECT_EQ(norm("Al Haj Mohammad Omar", PartyType::kPerson), "mohammad omar");
  EXPECT_EQ(norm("Ig0r Petrov", PartyType::kPerson), "igor petrov");
  EXPECT_EQ(norm("Igor1975 Petrov", PartyType::kPerson), "igor petrov");
  EXPECT_EQ(norm("P3trov", PartyType::kPerson), "petrov");
  EXPECT_EQ(norm("Unit 8200", PartyType::kPerson), "unit 8200");  // numbers alone stay numbers
}

// Issue 11: number words read as the number, so that they meet it in digits (not in people's names).
TEST(Tokenize, NumberWordsReadAsDigits) {
  EXPECT_EQ(norm("Brigade Forty-Four"), norm("Brigade 44"));
  EXPECT_EQ(norm("Brigade Forty-Four"), "brigade 44");
  EXPECT_EQ(norm("Unit One Hundred Twenty"), "unit 120");
  EXPECT_EQ(norm("Two Thousand Twenty One Trading"), "2021 trading");
  EXPECT_EQ(norm("Seven Seas Shipping"), "7 seas shipping");  // both sides read it alike
  EXPECT_EQ(norm("Ten Eyck", PartyType::kPerson), "ten eyck");
}

// Regression (issue 11): ordinal words were left as words, so Forty-Fourth never met 44th.
TEST(Tokenize, OrdinalNumberWordsReadAsTheNumber) {
  EXPECT_EQ(norm("Forty-Fourth Brigade"), norm("44th Brigade"));
  EXPECT_EQ(norm("Forty-Fourth Brigade"), "44 brigade");
  EXPECT_EQ(norm("Twenty First Century Trading"), "21 century trading");
  EXPECT_EQ(norm("Seventeenth Division"), "17 division");
  EXPECT_EQ(norm("First Bank"), "first bank");  // a lone small ordinal stays a word
}

// Regression (issue 11): "J.-C. Juncker" was read as the one word jc, which is no initial of Jean
// or Claude; a person's joined initials are as many initials.
TEST(Tokenize, JoinedInitialsOfAPersonAreSeveralInitials) {
  EXPECT_EQ(norm("J.-C. Juncker", PartyType::kPerson), "j c juncker");
  EXPECT_EQ(norm("J.C. Juncker", PartyType::kPerson), "j c juncker");
  EXPECT_EQ(norm("A. Merkel", PartyType::kPerson), "a merkel");
  EXPECT_EQ(norm("G.M. Trading"), "gm trading");  // in other names an initialism stays one word
}

// Regression (issue 11): the Korean given name Il (KIM Il Sung) was read as the Italian article, a
// stop word weighing 0.3; in a person's name it is a word.
TEST(Tokenize, StopWordsThatArePeoplesNamesAreWordsInAPersonsName) {
  auto kim = tokenize_name("KIM Il Sung", PartyType::kPerson, *testing::tables());
  ASSERT_EQ(kim.size(), 3u);
  EXPECT_EQ(kim[1].kind, TokenKind::kWord);
  auto posto = tokenize_name("Il Posto Trading", PartyType::kEntity, *testing::tables());
  EXPECT_EQ(posto[0].kind, TokenKind::kStop);
  auto maria = tokenize_name("Maria de la Cruz", PartyType::kPerson, *testing::tables());
  EXPECT_EQ(maria[1].kind, TokenKind::kStop);  // the particles of people's names stay stop words
}

// Regression (issue 11): Dan was read as a nickname of Daniel, so the Hebrew דן (Dan Gertler) met
// neither; Dan is a given name of its own (Hebrew, Romanian), left alone like Ben or Leo.
TEST(Tokenize, DanIsAGivenNameNotANickname) {
  EXPECT_EQ(norm("Dan Gertler", PartyType::kPerson), "dan gertler");
  EXPECT_EQ(norm("Danny Smith", PartyType::kPerson), norm("Daniel Smith", PartyType::kPerson));
}

TEST(Stem, PluralsFold) {
  EXPECT_EQ(stem("technologies"), "technology");
  EXPECT_EQ(stem("systems"), "system");
  EXPECT_EQ(stem("business"), "business");
}

}  // namespace
}  // namespace clearance::text
