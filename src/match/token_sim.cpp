#include "match/token_sim.hpp"

#include <algorithm>
#include <vector>

#include "clearance/text/distance.hpp"

namespace clearance::match {

namespace {
// Whether a word ends in a vowel sound: a vowel, or a vowel and a silent h (Fatimah, Abdallah).
bool ends_in_vowel(std::string_view w) {
  auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; };
  size_t n = w.size();
  if (n >= 2 && w[n - 1] == 'h' && vowel(w[n - 2])) return true;
  return n > 0 && vowel(w[n - 1]);
}
bool ends_alike(std::string_view a, std::string_view b) { return ends_in_vowel(a) == ends_in_vowel(b); }
}  // namespace

float word_similarity(std::string_view a, std::string_view b, std::string_view key_a, std::string_view key_b,
                      bool fuzzy_allowed, int edit_cap, bool* phonetic) {
  if (phonetic) *phonetic = false;
  if (a == b) return 1.0f;
  if (!fuzzy_allowed) return 0.0f;
  size_t shorter = std::min(a.size(), b.size());
  float sim = 0.0f;
  int k = std::min(max_edits(shorter), edit_cap);
  // Each edit changes the letter counts by at most two: a cheap test before the distance.
  auto bag_close = [&] {
    int diff[36] = {0};
    for (unsigned char c : a)
      diff[c >= 'a' && c <= 'z' ? c - 'a' : (c >= '0' && c <= '9' ? 26 + c - '0' : 35)]++;
    for (unsigned char c : b)
      diff[c >= 'a' && c <= 'z' ? c - 'a' : (c >= '0' && c <= '9' ? 26 + c - '0' : 35)]--;
    int total = 0;
    for (int v : diff) total += v < 0 ? -v : v;
    return total <= 2 * k;
  };
  size_t longer = std::max(a.size(), b.size());
  if (k > 0 && longer - shorter <= static_cast<size_t>(k) && bag_close()) {
    int d = text::osa_distance(a, b, k);
    if (d <= k)
      sim = 1.0f - kEditCost * static_cast<float>(d) / static_cast<float>(std::max(a.size(), b.size()));
  }
  // Transliteration variants share a consonant key. A two-letter key (Ali/Aly) is only trusted on
  // short words with the same first letter; longer words need three consonants (Dahua ≠ Dahao).
  bool key_ok = key_a.size() >= 3 || (key_a.size() == 2 && std::max(a.size(), b.size()) <= 4 && a[0] == b[0]);
  if (sim == 0.0f && shorter >= 3 && key_ok && key_a == key_b && ends_alike(a, b)) {
    sim = kPhoneticSim;
    if (phonetic) *phonetic = true;
  }
  return sim;
}

}  // namespace clearance::match
