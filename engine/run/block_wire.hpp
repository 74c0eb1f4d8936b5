#pragma once
// The bytes a block of replications travels as, from a process to process 0 of an MPI job
// (ReplicationPartition::gather): the scenario's fingerprint, then every array of BlockValues in
// a fixed order. Every process runs the same binary, so the layouts agree; a size or a
// fingerprint that does not is an error, never a silent merge.

#include <cstddef>
#include <span>
#include <vector>

#include "block_values.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/scenario.hpp"

namespace cohortsim {

std::vector<std::byte> pack_block(const BlockValues& block, const Scenario& scenario);

// Process `process`'s bytes for replications `block` into their rows of `all`, and its totals
// added to all's. Throws std::runtime_error when the bytes are not those of the same scenario
// and binary.
void unpack_block(std::span<const std::byte> bytes, int process, ReplicationBlock block,
                  const Scenario& scenario, BlockValues& all);

}  // namespace cohortsim
