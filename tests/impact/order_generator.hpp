// A deterministic generated order book, produced line by line as a std::streambuf so a test or the
// benchmark can feed millions of orders to the reader without ever holding the file: chips to China
// and elsewhere from NVIDIA, AMD and a distributor, Chinese materials to Japan, the US and Europe,
// recurring customers (a few of them on the bundled sample lists), four currencies. Same seed, same book.
#pragma once

#include <cstdint>
#include <cstdio>
#include <streambuf>
#include <string>
#include <vector>

namespace clearance::testing {

class OrderGenerator : public std::streambuf {
 public:
  // `customers`: distinct customer names cycled through (the by-customer breakdown's key count).
  OrderGenerator(std::uint64_t orders, std::uint64_t customers = 5000, std::uint64_t seed = 20250409)
      : orders_(orders), customers_(customers ? customers : 1), s_(seed) {
    line_ = "id,date,exporter,customer,destination,item,quantity,unit_value,currency\n";
    setg(line_.data(), line_.data(), line_.data() + line_.size());
  }

  static const std::vector<std::string>& items() {
    static const std::vector<std::string> v = {
        "H20",          "H20",       "H100",      "H200",     "A800",
        "RTX 4090",     "RTX 4090D", "L20",       "A100",     "B200",
        "MI308",        "MI300X",    "EAR99",     "3A090.a",  "dysprosium oxide",
        "Dy2O3",        "gallium",   "germanium", "graphite", "terbium metal",
        "yttrium oxide"};
    return v;
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (next_ >= orders_) return traits_type::eof();
    make_line(next_++);
    setg(line_.data(), line_.data(), line_.data() + line_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::uint64_t rand() {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return s_ >> 33;
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[rand() % v.size()];
  }

  void make_line(std::uint64_t i) {
    static const std::vector<std::string> to = {"CN", "CN", "CN", "HK", "MO", "US", "JP", "KR",
                                                "DE", "NL", "IN", "MY", "SG", "VN", "AE", "SA",
                                                "BR", "TW", "GB", "FR", "MX", "RU"};
    static const std::vector<std::string> exporters = {"NVIDIA Corporation",
                                                       "NVIDIA Corporation",
                                                       "\"Advanced Micro Devices, Inc.\"",
                                                       "Summit Systems Distribution LLC",
                                                       "",
                                                       "Baotou Northland Rare Earth Trading Co. Ltd."};
    static const std::vector<std::string> currencies = {"USD", "USD", "USD", "USD", "CNY", "JPY", "EUR"};
    char date[16];
    std::snprintf(date, sizeof date, "2025-%02d-%02d", static_cast<int>(1 + rand() % 12),
                  static_cast<int>(1 + rand() % 28));
    char nums[64];
    std::snprintf(nums, sizeof nums, "%d,%d.%02d", static_cast<int>(1 + rand() % 5000),
                  static_cast<int>(100 + rand() % 40000), static_cast<int>(rand() % 100));
    // About one order in 400 goes to a party on the bundled sample lists.
    static const std::vector<std::string> listed = {"Sugon", "\"Huawei Technologies Co., Ltd.\"",
                                                    "Inspur Group Co. Ltd.",
                                                    "Semiconductor Manufacturing International Corporation"};
    std::uint64_t c = rand() % (customers_ * 400);
    std::string customer =
        c < customers_ ? listed[c % listed.size()] : "Customer " + std::to_string(c % customers_);
    line_.clear();
    line_ += "G" + std::to_string(i + 1) + "," + date + "," + pick(exporters) + "," + customer + "," +
             pick(to) + "," + pick(items()) + "," + nums + "," + pick(currencies) + "\n";
  }

  std::uint64_t orders_, customers_, s_, next_ = 0;
  std::string line_;
};

}  // namespace clearance::testing
