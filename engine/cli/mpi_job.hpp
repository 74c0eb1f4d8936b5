#pragma once
// The MPI build's Job (CMake option COHORTSIM_MPI): `mpirun -n P cohortsim run ...` splits every
// scenario's replications over the P ranks of MPI_COMM_WORLD in contiguous blocks; rank 0 gathers
// them, computes the statistics and writes the file, bit for bit what one process would write.
// Started without an MPI launcher (mpirun, srun) it does not initialise MPI and behaves as the
// build without MPI; under `mpirun -n 1` it is a job of one process, which does the same.
//
// Testing hook: COHORTSIM_MPI_FAIL_RANK=R makes rank R fail after simulating its first block,
// as a crashed or broken node would (tests/e2e_mpi.py).

#include <cstddef>
#include <iosfwd>
#include <vector>

#include "cli.hpp"
#include "cohortsim/runner.hpp"

namespace cohortsim::cli {

class MpiJob final : public Job, public ReplicationPartition {
  public:
    MpiJob();            // initialises MPI; ranks other than 0 print nothing on stdout
    ~MpiJob() override;  // finalises MPI
    MpiJob(const MpiJob&) = delete;
    MpiJob& operator=(const MpiJob&) = delete;

    void prepare(const std::function<void()>& checks) const override;
    const ReplicationPartition* partition() const override;
    bool leads() const override { return rank_ == 0; }
    int finish(int exit_code) const override;

    int process() const override { return rank_; }
    int processes() const override { return size_; }
    std::vector<std::vector<std::byte>> gather(std::vector<std::byte> local) const override;

  private:
    bool initialised_ = false;  // MPI_Init was called (see launched_by_mpi)
    int rank_ = 0;
    int size_ = 1;
    int fail_rank_ = -1;  // COHORTSIM_MPI_FAIL_RANK
    // Set once every rank has passed prepare(): from then on ranks wait for one another, and a
    // failure on one must end them all.
    mutable bool started_ = false;
    std::streambuf* stdout_ = nullptr;
};

}  // namespace cohortsim::cli
