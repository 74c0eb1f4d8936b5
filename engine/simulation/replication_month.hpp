#pragma once
// The state of a replication in flight, shared by the files that implement ReplicationSimulator.

#include <cstdint>

#include "ledger.hpp"
#include "population.hpp"
#include "replication.hpp"

namespace cohortsim {

// The replication in flight: its customers, its books, and the month being simulated.
struct ReplicationSimulator::Month {
    Month(int horizon, std::uint64_t key, Workspace& scratch, std::size_t programmes)
        : replication_key(key),
          population(scratch.population),
          workspace(scratch),
          ledger(horizon, declared_series_count(), programmes),
          declared(scratch.declared) {}

    std::uint64_t replication_key;
    Population& population;
    Workspace& workspace;
    Ledger ledger;
    DeclaredStates& declared;  // what the declared mechanisms keep
    int month = 0;
};

}  // namespace cohortsim
