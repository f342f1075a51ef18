// Items: chips, systems, HBM, and the materials and technologies China controls, as described in
// the item catalogue (data/items/*.yaml, see docs/RULES.md) or in a --spec file.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace clearance {

// The parameters the advanced-computing tests look at.
struct ChipSpec {
  // Dense (no sparsity) peak throughput per precision, TOPS or TFLOPS, in the order given.
  std::vector<std::pair<std::string, double>> dense_tops;
  std::optional<double> die_area_mm2;           // applicable (non-planar logic) die area
  std::optional<double> memory_bandwidth_gbps;  // total DRAM bandwidth
  std::optional<double> interconnect_gbps;      // aggregate bidirectional chip-to-chip I/O
  std::optional<bool> datacenter;               // designed or marketed for datacenters
  std::string die_area_note;
};

struct Item {
  std::string id;      // stable catalogue id, e.g. "nvidia-h20"
  std::string name;    // display name, e.g. "H20 (HGX, 96GB)" or "dysprosium oxide"
  std::string vendor;  // chips and systems
  std::string kind;    // chip, system, hbm, material, technology, generic
  int year = 0;
  std::vector<std::string> synonyms;  // other names, formulas (Dy2O3), model aliases (H20)
  std::vector<std::string> names_zh;  // Chinese names (氧化镝)
  std::string description;

  ChipSpec chip;                                           // chip: its parameters
  std::optional<double> hbm_bandwidth_gbps, hbm_area_mm2;  // hbm: stack bandwidth and area
  std::string contains;                                    // system: id of the chip it contains
  int contains_count = 0;

  std::string eccn;  // a declared US classification (generic items, materials); chips are classified by rules
  std::string base_eccn;  // the ECCN apart from the advanced-computing tests (e.g. 5A992.c): .z, and
                          // the classification when 3A090/4A090 do not apply
  char base_eccn_confidence = 'U';
  std::string base_eccn_source;  // where the base classification comes from
  bool subject_to_ear = false;
  std::string
      origin;  // default country of origin (ISO alpha-2): US for US-designed chips, CN for Chinese materials

  std::string cn_category;  // China control category used by the rule packs (gallium, rare_earth_2025_18 …)
  std::string cn_control_code;  // e.g. 1C905.b
  std::string cn_catalogue_no;  // technology catalogue entry, e.g. 252604X
  bool cn_dual_use = false;     // on China's Dual-Use Items Export Control List
  std::vector<std::string> hs_codes;

  std::string citation;  // where the item's description or control comes from
  std::string source;    // where its parameters come from
  char confidence = 'U';
  std::string notes;
};

}  // namespace clearance
