// Chinese names to Latin words, so that 华为技术有限公司 meets "Huawei Technologies Co., Ltd."
// and "Huawei Jishu Youxian Gongsi" meets both.
//
// A Han run is folded to simplified characters (ICU Traditional-Simplified), then segmented
// against our phrase tables (data/text/zh_places.tsv, zh_words.tsv): place names become their
// official English form (哈尔滨 → harbin, 香港 → hong kong), industry words their English
// translation (技术 → technology, 半导体 → semiconductor), legal forms their English form
// (有限公司 → co ltd); what the tables do not know is a distinctive name, written in pinyin without
// tones and joined (华为 → huawei). The phrase tables take precedence over ICU's per-character
// readings (厦门 → xiamen, not "sha men"). Pure functions; ICU objects are per thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clearance {
struct TextTables;
}

namespace clearance::text {

// Where a word of a converted Chinese name came from, for explanations.
struct ZhWord {
  std::string word;    // folded Latin word, e.g. "huawei", "technology", "co"
  std::string source;  // the Chinese it renders, e.g. "华为"
  enum class How : unsigned char {
    kPinyin,
    kPlace,
    kIndustry,
    kLegal,
    kPinyinPhrase,
    kName
  } how = How::kPinyin;
};

// Converts one run of Han characters (simplified or traditional).
std::vector<ZhWord> zh_to_words(std::string_view han, const TextTables& tables);

// Simplified form of a Han string (traditional characters folded).
std::string zh_simplify(std::string_view han);

// Toneless pinyin of a Han string, syllables joined: "华为" → "huawei".
std::string zh_pinyin(std::string_view han);

const char* to_string(ZhWord::How how);

}  // namespace clearance::text
