#pragma once
// Runs scenarios: replications in parallel (oneTBB), statistics across replications, results as
// plain data for the writer. Scenarios in one run share the seed, so the k-th customer of a
// segment and month draws the same random numbers under each of them (common random numbers).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cohortsim/results.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

// Spreads every scenario's replications over the processes of a job (the MPI build's
// engine/cli/mpi_job.cpp; the engine itself knows nothing of how bytes travel). Process p of P
// simulates the contiguous block replication_block(R, p, P); process 0 gathers every block and
// computes each statistic from all replications in replication order, so its results are bit for
// bit those of a single process: random streams are keyed by replication, never by process.
class ReplicationPartition {
  public:
    virtual ~ReplicationPartition() = default;
    virtual int process() const = 0;  // 0 .. processes() - 1; process 0 gathers the results
    virtual int processes() const = 0;
    // Collective: on process 0, every process's `local` bytes in process order (its own first);
    // an empty vector on the others. Throws on failure.
    virtual std::vector<std::vector<std::byte>> gather(std::vector<std::byte> local) const = 0;
};

// Replications [first, last) of `replications` for process `process` of `processes`:
// contiguous blocks whose sizes differ by at most one, the larger ones first.
struct ReplicationBlock {
    std::size_t first = 0;
    std::size_t last = 0;
    std::size_t size() const { return last - first; }
};
ReplicationBlock replication_block(std::size_t replications, int process, int processes);

// How churn is scheduled. Both give the same results (up to the rounding of a running sum
// against a division); the event calendar is faster where it applies, and tests force the
// monthly accrual to check one against the other.
enum class ChurnScheduling {
    automatic,        // the event calendar where every hazard is piecewise constant
    monthly_accrual,  // every customer's hazard accrued every month
};

struct RunOptions {
    int threads = 0;  // 0 = all cores; results never depend on it
    bool keep_paths = false;
    ChurnScheduling churn_scheduling = ChurnScheduling::automatic;
    std::vector<double> quantile_levels = {0.05, 0.25, 0.5, 0.75, 0.95};
    double comparison_confidence = 0.95;        // of the paired differences' intervals
    const std::atomic<bool>* cancel = nullptr;  // set by a signal handler: throw Interrupted
    std::atomic<std::int64_t>* replications_done = nullptr;  // progress counter, if wanted
    // Absent: this process simulates every replication. Present: only its block, and only
    // process 0 returns results (see run_scenarios).
    const ReplicationPartition* partition = nullptr;
    // False (--no-uncertainty): every replication at the scenario's point values, its
    // [uncertainty] ignored.
    bool input_uncertainty = true;
};

struct RunCounters {
    std::int64_t replications = 0;     // over all scenarios
    std::int64_t customer_months = 0;  // renewal decisions simulated, over all scenarios
};

// Every scenario after the first is compared with the first (RunResults::comparisons): paired
// differences per metric and month, and the headline KPIs with P(b better than a). Memory: the
// first scenario's per-replication values and those of the scenario in flight, 8 bytes x 2 x
// metrics x replications x (H+1) (with keep_paths, every scenario's, as they are returned).
// Throws InputError when the scenarios disagree on horizon, replications or seed (they must
// share them to be compared). With a partition, every process must call it with the same
// scenarios; process 0 returns the results (and counters) of all replications, the others empty
// results and the counters of their own blocks. Process 0 also holds, while gathering a scenario,
// every process's bytes for it: 8 bytes x metrics x replications x (H+1) more.
RunResults run_scenarios(const std::vector<Scenario>& scenarios, const RunOptions& options,
                         RunCounters* counters = nullptr);

}  // namespace cohortsim
