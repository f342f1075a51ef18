// Where the checkout, its bundled data, the shared real data and the built `clearance` are, for
// tests, benchmarks and fuzz targets. Only paths.cpp is compiled with these absolute paths, so every
// other object is the same in any checkout and ccache shares it between clones (docs/RELIABILITY.md).
#pragma once

#include <string>

namespace clearance::testing {

std::string source_dir();        // the checkout
std::string data_dir();          // the bundled data (data/)
std::string shared_dir();        // the shared real data (../shared)
std::string support_dir();       // tests/support: scripts the tests start
std::string clearance_binary();  // the `clearance` built beside the tests

}  // namespace clearance::testing
