#pragma once
// Keyed, counter-based random streams. A stream's key is a hash of *what* is simulated (seed,
// replication, cohort, segment, customer index, purpose), never of the thread or the schedule,
// so results are identical for any thread count, and two strategies simulated side by side
// draw the same numbers for the same customer and purpose (common random numbers).
// Each purpose has its own stream, so adding draws to one mechanism never shifts another's.

#include <cstdint>
#include <limits>

namespace cohortsim {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer whose outputs
// over a counter pass BigCrush.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Folds one more component into a key.
constexpr std::uint64_t hash_combine(std::uint64_t key, std::uint64_t value) {
    return mix64(key + 0x9e3779b97f4a7c15ULL + mix64(value));
}

// What a stream is used for. The numeric values are part of the reproducibility contract:
// never renumber, only append.
enum class Purpose : std::uint64_t {
    acquisition_count = 1,  // Poisson number of new customers (per month and segment)
    propensity = 2,         // churn propensity theta
    churn_budget = 3,       // exponential budget of cumulative hazard
    churn_reason = 4,       // which competing risk caused a churn (per month)
    activation = 5,         // onboarding activation month
    starting_mrr = 6,       // lognormal starting MRR
};

// A customer's identity: the k-th customer of a segment acquired in a month of a replication.
struct CustomerId {
    std::uint32_t cohort;   // month of acquisition, 0 for the initial customers (< 2^24)
    std::uint32_t segment;  // index into Scenario::segments (< 256)
    std::uint32_t index;    // k, 0-based, within (cohort, segment)
};

// The key of everything random about one replication; streams derive from it.
constexpr std::uint64_t replication_key(std::uint64_t seed, std::uint64_t replication) {
    return hash_combine(hash_combine(0x636f686f727473ULL /* "cohorts" */, seed), replication);
}

// One mix of the packed identity: a customer costs one hash, not one per component.
constexpr std::uint64_t customer_key(std::uint64_t replication_key, CustomerId id) {
    const std::uint64_t packed = (static_cast<std::uint64_t>(id.cohort) << 40) ^
                                 (static_cast<std::uint64_t>(id.segment) << 32) ^ id.index;
    return mix64(replication_key + packed * 0xd1342543de82ef95ULL);
}

// Streams of one key differ by purpose in their starting point; SplitMix's output mixing makes
// them independent (they would overlap only after ~2^60 draws).
constexpr std::uint64_t stream_key(std::uint64_t key, Purpose purpose) {
    return key ^ (static_cast<std::uint64_t>(purpose) * 0xa0761d6478bd642fULL);
}

// A stream for an event that may recur: keyed by the month too.
constexpr std::uint64_t monthly_stream_key(std::uint64_t key, Purpose purpose, int month) {
    return hash_combine(stream_key(key, purpose), static_cast<std::uint64_t>(month));
}

// A uniform random bit generator over one keyed stream: draw i is mix64(key + i * gamma), i.e.
// SplitMix64 started at the key. Cheap to create, so every (customer, purpose) gets its own.
class KeyedStream {
  public:
    using result_type = std::uint64_t;
    explicit constexpr KeyedStream(std::uint64_t key) : state_(key) {}
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    constexpr result_type operator()() {
        state_ += 0x9e3779b97f4a7c15ULL;
        return mix64(state_);
    }

  private:
    std::uint64_t state_;
};

// A uniform double in the open interval (0, 1), from the top 53 bits: never 0, so its log is
// finite, and never 1.
inline double uniform_open01(KeyedStream& stream) {
    return (static_cast<double>(stream() >> 11) + 0.5) * 0x1.0p-53;
}

}  // namespace cohortsim
