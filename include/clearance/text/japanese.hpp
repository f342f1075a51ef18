// Japanese names in kanji read as Japanese, with MeCab and the IPA dictionary (Debian mecab,
// mecab-ipadic-utf8), not as Mandarin: 高山清司 is Takayama Seiji or Kiyoshi, not Gao Shanqingsi.
// A run is cut into the dictionary's words (1-best path); each word keeps every reading the
// dictionary gives for the same characters (names are ambiguous: 清司 Seiji, Kiyoshi), each reading
// spelt in Hepburn and its variants by the kana reader (text/readings.hpp).
//
// The reader is optional: when the dictionary cannot be opened, JapaneseReader::open returns an
// error (the front ends warn once) and kanji are read as before, as Chinese. The library never
// prints. Safe from any thread (one MeCab tagger, used under a lock).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/common/result.hpp"
#include "clearance/text/readings.hpp"

namespace MeCab {
class Model;
class Tagger;
class Lattice;
}  // namespace MeCab

namespace clearance::text {

// One word of a Japanese run as the dictionary cuts it.
struct JapaneseWord {
  std::string written;                 // the characters (UTF-8)
  std::vector<std::string> readings;   // katakana readings, the dictionary's first choice first
  std::vector<std::string> spellings;  // Hepburn spellings of every reading (at most kMaxSpellings)
  bool person_name = false;            // the dictionary tags it a person's name (人名)
  bool surname = false;                // ... a surname (姓)
  bool proper_noun = false;            // a proper noun (固有名詞): a name, place or organisation
  bool organisation = false;           // ... an organisation's name (組織: 山口組, 住吉会)
  bool suffix = false;                 // a suffix (接尾: 会 in 稲川会)
};

class JapaneseReader {
 public:
  // Where Debian installs the IPA dictionary in UTF-8.
  static constexpr const char* kDefaultDictionary = "/var/lib/mecab/dic/ipadic-utf8";

  // Opens MeCab with the dictionary in `dictionary_dir`; an error naming it when it cannot.
  static Result<std::shared_ptr<const JapaneseReader>> open(
      const std::string& dictionary_dir = kDefaultDictionary);
  ~JapaneseReader();
  JapaneseReader(const JapaneseReader&) = delete;
  JapaneseReader& operator=(const JapaneseReader&) = delete;

  // Cuts a run of kanji and kana into dictionary words with their readings; empty when some part
  // has no reading in the dictionary (not Japanese as far as it knows).
  std::vector<JapaneseWord> read(std::string_view run) const;

  // Whether a run of kanji reads as a Japanese person's name: a surname of two characters or more
  // that the dictionary knows, followed by given-name words. Chinese names (one-character
  // surnames: 李方伟, 王小明) do not.
  static bool looks_like_japanese_person(const std::vector<JapaneseWord>& words);

  // Whether a run of kanji reads as a Japanese organisation's name: one the dictionary knows as
  // such (山口組, 住吉会), or a proper noun followed by an organisation suffix (稲川会: 稲川 + 会;
  // 組, 会, 一家, 連合). A Chinese name with a character Japanese does not write (simplified 华)
  // has no reading at all.
  static bool looks_like_japanese_organisation(const std::vector<JapaneseWord>& words);

 private:
  JapaneseReader() = default;
  MeCab::Model* model_ = nullptr;
  MeCab::Tagger* tagger_ = nullptr;
  MeCab::Lattice* lattice_ = nullptr;
  mutable std::mutex mu_;
};

}  // namespace clearance::text
