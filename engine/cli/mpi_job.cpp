#include "mpi_job.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

namespace cohortsim::cli {

namespace {

// MPI_ERRORS_RETURN is set on MPI_COMM_WORLD, so that an MPI failure becomes an exception with
// MPI's message, reported and turned into an exit code like any other.
void check(int status, const char* what) {
    if (status == MPI_SUCCESS) return;
    char message[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(status, message, &length);
    throw std::runtime_error(std::string("MPI ") + what +
                             " failed: " + std::string(message, static_cast<std::size_t>(length)));
}

int fail_rank_from_environment() {
    const char* text = std::getenv("COHORTSIM_MPI_FAIL_RANK");
    if (text == nullptr || *text == '\0') return -1;
    char* end = nullptr;
    const long rank = std::strtol(text, &end, 10);
    if (*end != '\0' || rank < 0) {
        throw std::runtime_error(std::string("COHORTSIM_MPI_FAIL_RANK=") + text +
                                 ": allowed: a rank number (a testing hook)");
    }
    return static_cast<int>(rank);
}

// Whether an MPI launcher started this process: Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE (a
// documented variable), srun --mpi=pmix sets PMIX_RANK and --mpi=pmi2 PMI_RANK, PMI_SIZE and
// PMI_FD. Without one, MPI is not initialised at all: a singleton MPI_Init costs Open MPI from a
// quarter to most of a second, which every plain `cohortsim run` would pay.
bool launched_by_mpi() {
    for (const char* name :
         {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "PMI_FD"}) {
        if (std::getenv(name) != nullptr) return true;
    }
    return false;
}

constexpr int size_tag = 1;
constexpr int bytes_tag = 2;
// MPI counts are ints: a block goes in pieces of at most 1 GiB.
constexpr std::size_t max_piece = std::size_t{1} << 30;

// Waits for a message by polling with short sleeps rather than in a blocking receive, which
// in OpenMPI spins at full speed: rank 0 often waits for slower ranks, and on a node shared
// with other ranks (or oversubscribed) a spinning wait steals their core.
void wait_for(int source, int tag) {
    for (;;) {
        int arrived = 0;
        check(MPI_Iprobe(source, tag, MPI_COMM_WORLD, &arrived, MPI_STATUS_IGNORE), "probe");
        if (arrived != 0) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

}  // namespace

MpiJob::MpiJob() {
    if (!launched_by_mpi()) return;
    initialised_ = true;
    // Serialized: only one thread calls MPI at a time, but not necessarily the one that called
    // MPI_Init (the runner gathers from inside its oneTBB arena).
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        throw std::runtime_error("this MPI library does not support MPI_THREAD_SERIALIZED");
    }
    try {
        fail_rank_ = fail_rank_from_environment();
    } catch (...) {
        MPI_Finalize();
        throw;
    }
    // The results, the summary and --help come from rank 0 only; errors still reach stderr.
    if (rank_ != 0) stdout_ = std::cout.rdbuf(nullptr);
}

MpiJob::~MpiJob() {
    if (stdout_ != nullptr) std::cout.rdbuf(stdout_);
    if (initialised_) MPI_Finalize();
}

void MpiJob::prepare(const std::function<void()>& checks) const {
    std::exception_ptr failure;
    try {
        checks();
    } catch (...) {
        failure = std::current_exception();
    }
    if (size_ > 1) {
        // Every rank learns the first rank that failed (size_: none), which alone prints its
        // error and tells the others its exit code, so that all leave alike and at once.
        int mine = failure ? rank_ : size_;
        int first = size_;
        check(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD),
              "agreement on the checks");
        if (first < size_) {
            int code = 0;
            if (rank_ == first)
                code = exit_code_of([&]() -> int { std::rethrow_exception(failure); });
            check(MPI_Bcast(&code, 1, MPI_INT, first, MPI_COMM_WORLD), "agreement on the checks");
            throw Exit{code};
        }
    } else if (failure) {
        std::rethrow_exception(failure);
    }
    started_ = true;
}

const ReplicationPartition* MpiJob::partition() const {
    // A job of one process takes exactly the path of the build without MPI.
    return size_ > 1 ? this : nullptr;
}

int MpiJob::finish(int exit_code) const {
    // Other ranks may be waiting for this one in a gather that would never end: only
    // MPI_Abort ends them (mpirun then exits with this code). The error is already printed.
    if (exit_code != 0 && started_ && size_ > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
    return exit_code;
}

std::vector<std::vector<std::byte>> MpiJob::gather(std::vector<std::byte> local) const {
    if (rank_ == fail_rank_) {
        throw std::runtime_error("rank " + std::to_string(rank_) +
                                 ": fault injected after its replications "
                                 "(COHORTSIM_MPI_FAIL_RANK, a testing hook)");
    }
    if (rank_ != 0) {
        const std::uint64_t count = local.size();
        check(MPI_Send(&count, 1, MPI_UINT64_T, 0, size_tag, MPI_COMM_WORLD), "send");
        for (std::size_t offset = 0; offset < local.size(); offset += max_piece) {
            const std::size_t piece = std::min(max_piece, local.size() - offset);
            check(MPI_Send(local.data() + offset, static_cast<int>(piece), MPI_BYTE, 0, bytes_tag,
                           MPI_COMM_WORLD),
                  "send");
        }
        return {};
    }
    // Ranks in order, so that the blocks line up in replication order.
    std::vector<std::vector<std::byte>> blocks(static_cast<std::size_t>(size_));
    blocks[0] = std::move(local);
    for (int source = 1; source < size_; ++source) {
        wait_for(source, size_tag);
        std::uint64_t count = 0;
        check(
            MPI_Recv(&count, 1, MPI_UINT64_T, source, size_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "receive");
        std::vector<std::byte>& block = blocks[static_cast<std::size_t>(source)];
        block.resize(count);
        for (std::size_t offset = 0; offset < block.size(); offset += max_piece) {
            const std::size_t piece = std::min(max_piece, block.size() - offset);
            wait_for(source, bytes_tag);
            check(MPI_Recv(block.data() + offset, static_cast<int>(piece), MPI_BYTE, source,
                           bytes_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                  "receive");
        }
    }
    return blocks;
}

}  // namespace cohortsim::cli
