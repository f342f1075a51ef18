// A name as a customer file or a request gives it, in any script (invalid UTF-8 replaced, as
// read_screen_query does): read into words for a person and for an entity, then screened against a
// few listed names in Latin, Chinese and Thai spellings (the query plan's joins and spellings).
#include "clearance/common/strings.hpp"
#include "clearance/match/screener.hpp"
#include "clearance/text/normalize.hpp"
#include "clearance/text/tables.hpp"
#include "fuzz_support.hpp"
#include "support/paths.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clearance;
  static const std::shared_ptr<const TextTables> kTables = [] {
    auto t = TextTables::load(clearance::testing::data_dir());
    if (!t) fuzz::setup_failed(t.error().message);
    return *t;
  }();
  static const std::unique_ptr<Screener> kScreener = [] {
    ListSnapshot s;
    s.info.name = "fuzz";
    int k = 0;
    for (const char* name : {"KRADUMPORN, Somboon", "KIM, Jong Un", "Huawei Technologies Co., Ltd.",
                             "AL-LIBI, Abd al-Muhsin", "Rosoboronexport", "WEI, Hsueh Kang"}) {
      Party p;
      p.id = "f" + std::to_string(++k);
      p.list = "fuzz";
      p.type = k == 3 || k == 5 ? PartyType::kEntity : PartyType::kPerson;
      p.names = {{name, NameKind::kPrimary, Script::kLatin}};
      s.parties.push_back(std::move(p));
    }
    seal_snapshot(s);
    std::vector<ListSnapshot> lists;
    lists.push_back(std::move(s));
    return Screener::build(std::move(lists), kTables);
  }();
  std::string name = sanitize_utf8(fuzz::text_of(data, std::min<std::size_t>(size, 4096)));
  for (PartyType type : {PartyType::kPerson, PartyType::kEntity}) {
    (void)text::tokenize_name(name, type, *kTables);
    ScreenQuery q;
    q.name = name;
    q.type = type;
    q.min_score = 0.5;
    (void)kScreener->screen(q);
  }
  return 0;
}
