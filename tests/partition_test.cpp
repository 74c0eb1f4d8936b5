// The runner's side of a run split over processes (what the MPI build uses), with the processes
// played by threads of this test: every process simulates its block of replications and process
// 0 gathers them into exactly the results of a single-process run. This covers the gather path
// in the builds without MPI (the sanitizer builds).

#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "cohortsim/runner.hpp"
#include "test_support.hpp"

using namespace cohortsim;
using namespace cohortsim::testing;

namespace {

// The collective gather of `processes` threads: the last to arrive hands every process's bytes
// to process 0.
class Exchange {
  public:
    explicit Exchange(int processes) : processes_(processes), slots_(processes) {}

    std::vector<std::vector<std::byte>> gather(int process, std::vector<std::byte> local) {
        std::unique_lock lock(mutex_);
        slots_[process] = std::move(local);
        const int generation = generation_;
        if (++arrived_ == processes_) {
            gathered_ = slots_;
            arrived_ = 0;
            ++generation_;
            done_.notify_all();
        } else {
            done_.wait(lock, [&] { return generation_ != generation; });
        }
        return process == 0 ? gathered_ : std::vector<std::vector<std::byte>>{};
    }

  private:
    int processes_;
    std::vector<std::vector<std::byte>> slots_;
    std::vector<std::vector<std::byte>> gathered_;
    int arrived_ = 0;
    int generation_ = 0;
    std::mutex mutex_;
    std::condition_variable done_;
};

class ThreadPartition : public ReplicationPartition {
  public:
    ThreadPartition(int process, Exchange& exchange, int processes)
        : process_(process), processes_(processes), exchange_(exchange) {}
    int process() const override { return process_; }
    int processes() const override { return processes_; }
    std::vector<std::vector<std::byte>> gather(std::vector<std::byte> local) const override {
        return exchange_.gather(process_, std::move(local));
    }

  private:
    int process_;
    int processes_;
    Exchange& exchange_;
};

void check_same(const ScenarioResults& got, const ScenarioResults& expected) {
    REQUIRE(got.metrics.size() == expected.metrics.size());
    for (std::size_t k = 0; k < got.metrics.size(); ++k) {
        INFO(expected.name << ": " << expected.metrics[k].info.name);
        CHECK(bitwise_equal(got.metrics[k].mean, expected.metrics[k].mean));
        CHECK(bitwise_equal(got.metrics[k].std, expected.metrics[k].std));
        CHECK(bitwise_equal(got.metrics[k].quantiles, expected.metrics[k].quantiles));
        CHECK(bitwise_equal(got.metrics[k].paths, expected.metrics[k].paths));
    }
    CHECK(bitwise_equal(got.logo_retention.values, expected.logo_retention.values));
    CHECK(bitwise_equal(got.revenue_retention.values, expected.revenue_retention.values));
    REQUIRE(got.kpis.size() == expected.kpis.size());
    for (std::size_t k = 0; k < got.kpis.size(); ++k)
        CHECK(bitwise_equal(got.kpis[k].values, expected.kpis[k].values));
}

}  // namespace

TEST_SUITE("process partition") {
    TEST_CASE("replication blocks are contiguous, cover every replication, differ by at most 1") {
        for (const std::size_t replications : {0, 1, 4, 7, 100}) {
            for (const int processes : {1, 2, 3, 5, 8}) {
                std::size_t next = 0;
                for (int p = 0; p < processes; ++p) {
                    const ReplicationBlock block = replication_block(replications, p, processes);
                    CHECK(block.first == next);
                    CHECK(block.size() <= replications / processes + 1);
                    CHECK(block.size() >= replications / processes);
                    next = block.last;
                }
                CHECK(next == replications);
            }
        }
    }

    TEST_CASE("process 0 gathers the single-process results bit for bit, comparison included") {
        Scenario base = two_segment_scenario(400, 14, 4, 20.0);
        base.name = "base";
        Scenario saves = base;
        saves.name = "saves";
        saves.save_desk = {true, 0.3};
        const std::vector<Scenario> scenarios{base, saves};
        RunOptions options;
        options.keep_paths = true;
        options.threads = 1;
        const RunResults expected = run_scenarios(scenarios, options);
        // 5 processes for 4 replications: one of them has none to simulate.
        for (const int processes : {2, 3, 5}) {
            INFO(processes << " processes");
            Exchange exchange(processes);
            std::vector<ThreadPartition> partitions;
            for (int p = 0; p < processes; ++p)
                partitions.emplace_back(p, exchange, processes);
            std::vector<RunResults> results(static_cast<std::size_t>(processes));
            std::vector<std::thread> threads;
            for (int p = 0; p < processes; ++p) {
                threads.emplace_back([&, p] {
                    RunOptions own = options;
                    own.partition = &partitions[static_cast<std::size_t>(p)];
                    results[static_cast<std::size_t>(p)] = run_scenarios(scenarios, own);
                });
            }
            for (std::thread& thread : threads)
                thread.join();
            REQUIRE(results[0].scenarios.size() == expected.scenarios.size());
            for (std::size_t s = 0; s < expected.scenarios.size(); ++s)
                check_same(results[0].scenarios[s], expected.scenarios[s]);
            REQUIRE(results[0].comparisons.size() == expected.comparisons.size());
            for (std::size_t c = 0; c < expected.comparisons.size(); ++c) {
                const auto& got = results[0].comparisons[c].metrics;
                const auto& want = expected.comparisons[c].metrics;
                REQUIRE(got.size() == want.size());
                for (std::size_t k = 0; k < got.size(); ++k) {
                    CHECK(bitwise_equal(got[k].mean, want[k].mean));
                    CHECK(bitwise_equal(got[k].ci_low, want[k].ci_low));
                }
            }
            for (int p = 1; p < processes; ++p)
                CHECK(results[static_cast<std::size_t>(p)].scenarios.empty());
        }
    }
}
