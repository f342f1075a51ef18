#include "support/paths.hpp"

namespace clearance::testing {

std::string source_dir() { return CLEARANCE_SOURCE_DIR; }
std::string data_dir() { return CLEARANCE_DATA_DIR; }
std::string shared_dir() { return CLEARANCE_SHARED_DIR; }
std::string support_dir() { return CLEARANCE_SOURCE_DIR "/tests/support"; }
std::string clearance_binary() { return CLEARANCE_BINARY; }

}  // namespace clearance::testing
