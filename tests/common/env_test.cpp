// The IO seam: the POSIX Env's contracts (unique temporary files that never follow a planted
// symlink, a lock that reports "locked", whole-file reads with a limit, atomic writes that leave
// nothing behind on failure) and the fault-injecting Env the store tests rely on.
#include "clearance/common/env.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "clearance/common/file_stream.hpp"
#include "clearance/common/files.hpp"
#include "support/fault_env.hpp"

namespace clearance {
namespace {

namespace fs = std::filesystem;
using testing::Fault;
using testing::FaultEnv;

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("clearance-env-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string slurp(const std::string& p) const {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (auto& e : fs::directory_iterator(dir_)) out.insert(e.path().filename().string());
    return out;
  }
  fs::path dir_;
};

TEST_F(EnvTest, WriteFileAtomicReplacesTheFileAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(write_file_atomic(path("a.json"), "one").ok());
  ASSERT_TRUE(write_file_atomic(path("a.json"), "two").ok());
  EXPECT_EQ(slurp(path("a.json")), "two");
  EXPECT_EQ(names(), std::set<std::string>{"a.json"});
}

// Regression: the temporary file had a fixed name (path + ".tmp"), so two writers shared it and a
// symlink planted there made the write go through to the file it points at.
TEST_F(EnvTest, AtomicWriteNeverFollowsASymlinkPlantedAtTheOldTemporaryName) {
  std::ofstream(path("victim")) << "precious";
  fs::create_symlink(path("victim"), path("manifest.json.tmp"));
  ASSERT_TRUE(write_file_atomic(path("manifest.json"), "new").ok());
  EXPECT_EQ(slurp(path("victim")), "precious");
  EXPECT_EQ(slurp(path("manifest.json")), "new");
  EXPECT_TRUE(fs::is_symlink(path("manifest.json.tmp")));
}

TEST_F(EnvTest, TemporaryFilesHaveUniqueNamesAndRefuseToOpenAnExistingName) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    std::string p;
    auto f = Env::Default()->new_temp_file(dir_.string(), ".x.", &p);
    ASSERT_TRUE(f.ok()) << f.error().message;
    EXPECT_TRUE(seen.insert(p).second) << p;
    EXPECT_EQ(p.rfind(dir_.string() + "/.x.", 0), 0u) << p;
    ASSERT_TRUE((*f)->close().ok());
  }
}

TEST_F(EnvTest, ASecondLockWithoutWaitingSaysLocked) {
  auto first = Env::Default()->lock_file(path("LOCK"), false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  auto second = Env::Default()->lock_file(path("LOCK"), false);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find("locked"), std::string::npos) << second.error().message;
  first->reset();
  auto third = Env::Default()->lock_file(path("LOCK"), false);
  EXPECT_TRUE(third.ok());
}

TEST_F(EnvTest, ReadFileNamesTheFileAndEnforcesItsLimit) {
  auto missing = read_file(path("nope.csv"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, Error::Kind::kBadInput);
  EXPECT_NE(missing.error().message.find("nope.csv"), std::string::npos);
  auto dir = read_file(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos) << dir.error().message;
  std::ofstream(path("big")) << std::string(5000, 'x');
  auto big = read_file(path("big"), 4096);
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("limit"), std::string::npos);
  auto ok = read_file(path("big"), 5000);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 5000u);
}

TEST_F(EnvTest, ListFilesWalksSubdirectoriesInPathOrder) {
  fs::create_directories(dir_ / "b");
  std::ofstream(path("b/z.yaml")) << "";
  std::ofstream(path("a.yml")) << "";
  std::ofstream(path("c.txt")) << "";
  auto files = list_files(dir_.string() + "/", {".yaml", ".yml"});
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, (std::vector<std::string>{path("a.yml"), path("b/z.yaml")}));
  EXPECT_FALSE(list_files(path("c.txt"), {".yaml"}).ok());
}

// Regression (issue 9): `impact --rules-from /` walked the whole file system. A walk does not enter
// symlinked directories (no loops) and gives up past its entry limit.
TEST_F(EnvTest, ListFilesSkipsSymlinkedDirectoriesAndStopsAtItsEntryLimit) {
  fs::create_directories(dir_ / "d");
  std::ofstream(path("d/x.yaml")) << "";
  fs::create_directory_symlink(dir_, dir_ / "d" / "loop");
  auto files = list_files(dir_.string(), {".yaml"});
  ASSERT_TRUE(files.ok()) << files.error().message;
  EXPECT_EQ(*files, std::vector<std::string>{path("d/x.yaml")});
  for (int i = 0; i < 5; ++i) std::ofstream(path("f" + std::to_string(i) + ".yaml")) << "";
  auto capped = list_files(*Env::Default(), dir_.string(), {".yaml"}, 4);
  ASSERT_FALSE(capped.ok());
  EXPECT_NE(capped.error().message.find("more than 4"), std::string::npos) << capped.error().message;
}

TEST_F(EnvTest, EveryFailedStepOfAnAtomicWriteLeavesTheOldFileAndNoTemporaryFile) {
  for (Fault f : testing::kWriteFaults) {
    if (f == Fault::kMakeDirs || f == Fault::kLock) continue;  // not steps of one file write
    ASSERT_TRUE(write_file_atomic(path("f"), "old").ok());
    FaultEnv env;
    env.fail_nth(f, 1);
    auto st = write_file_atomic(env, path("f"), "new contents");
    EXPECT_EQ(env.injected(f), 1) << testing::fault_name(f);
    EXPECT_FALSE(st.ok()) << testing::fault_name(f);
    if (f == Fault::kSyncDir) {
      // The rename happened: the new file is complete, but its name may not survive a crash.
      EXPECT_EQ(slurp(path("f")), "new contents");
    } else {
      EXPECT_EQ(slurp(path("f")), "old") << testing::fault_name(f);
      EXPECT_NE(st.error().message.find(dir_.string()), std::string::npos) << st.error().message;
    }
    EXPECT_EQ(names(), std::set<std::string>{"f"}) << testing::fault_name(f);
  }
}

TEST_F(EnvTest, StreamsReportReadAndWriteErrorsInsteadOfAnEarlyEnd) {
  std::ofstream(path("in")) << std::string(200000, 'a');
  FaultEnv env;
  auto in = InputFileStream::open(env, path("in"));
  ASSERT_TRUE(in.ok());
  env.fail_nth(Fault::kRead, 2);
  std::string all(std::istreambuf_iterator<char>(**in), {});
  EXPECT_LT(all.size(), 200000u);
  EXPECT_FALSE((*in)->status().ok());

  auto out = OutputFileStream::open(env, path("out"));
  ASSERT_TRUE(out.ok());
  env.fail_nth(Fault::kShortWrite, 1);
  for (int i = 0; i < 20000; ++i) **out << "line " << i << "\n";
  auto st = (*out)->close();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(path("out")), std::string::npos) << st.error().message;
}

// Regression (issue 9): batch output to a full disk exited 0 with lines missing.
TEST_F(EnvTest, WritingToAFullDiskIsAnError) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "/dev/full is absent";
  auto out = OutputFileStream::open(*Env::Default(), "/dev/full");
  ASSERT_TRUE(out.ok());
  **out << "hello\n";
  auto st = (*out)->close();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("/dev/full"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace clearance
