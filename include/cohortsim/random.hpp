#pragma once
// Keyed, counter-based random streams. A stream's key is a hash of *what* is simulated (seed,
// replication, cohort, segment, customer index, purpose), never of the thread or the schedule,
// so results are identical for any thread count, and two strategies simulated side by side
// draw the same numbers for the same customer and purpose (common random numbers).
// Each purpose has its own stream, so adding draws to one mechanism never shifts another's.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

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
    acquisition_count = 1,     // Poisson number of new customers (per month and segment)
    propensity = 2,            // churn propensity theta
    churn_budget = 3,          // exponential budget of cumulative hazard
    churn_reason = 4,          // which competing risk caused a churn (per month)
    activation = 5,            // onboarding activation month
    starting_mrr = 6,          // lognormal starting MRR
    contract_term = 7,         // which contract term a new customer signs
    intent_budget = 8,         // fresh budget once a churn intent is formed (unavoidable risk only)
    restart_budget = 9,        // fresh budget after a save or a cure
    save_desk = 10,            // whether the save desk keeps a leaving customer
    win_back = 11,             // the month a lapsed customer comes back (drawn when it leaves)
    usage = 12,                // the monthly usage step
    upsell = 13,               // months until the next upgrade
    cross_sell = 14,           // months until a product is adopted (per product)
    contraction = 15,          // months until the next downgrade
    usage_pricing = 16,        // whether a new customer is usage-priced
    reactivation_budget = 17,  // fresh budget of a customer won back
    hunted_logos = 18,         // new logos the hunters win (per month and segment)
    lead_funnel = 19,          // leads and their conversions (per month)
    farmer_priority = 20,      // an account's place in the random coverage order
    health_signal = 21,        // the error of an account's health signal (per month)
    covered_upsell = 22,       // whether an upgrade drawn at the covered rate happens
    covered_cross_sell = 23,   // whether an adoption drawn at the covered rate happens
    renewal_phase = 24,        // where an initial customer on a long term is in its term
    activation_on_return = 25,  // activation of a customer back before its onboarding ended
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

// Geometric waiting times for an event with monthly probability p: drawn once, instead of a
// draw every month. log(1 - p) is computed once, not once a draw (it was a tenth of the time
// of a run with every revenue movement); and a draw whose event would come too late for the
// caller is recognised without a log, against (1 - p)^w tabulated for waits w up to
// `longest_wait` (most draws, for a rare event and a horizon of a few years), and so is the wait
// itself when few months are left.
class GeometricWait {
  public:
    explicit GeometricWait(double p, int longest_wait = 0)
        : p_(p), log_stay_(p > 0.0 && p < 1.0 ? std::log1p(-p) : 0.0) {
        if (!(p > 0.0 && p < 1.0)) return;
        no_event_within_.resize(static_cast<std::size_t>(std::max(longest_wait, 0)) + 1);
        for (std::size_t w = 0; w < no_event_within_.size(); ++w)
            no_event_within_[w] = std::exp(static_cast<double>(w) * log_stay_);
    }

    double probability() const { return p_; }

    // The first month after `month` in which the event happens; `never` when p is 0 or the
    // month would not come before `never`.
    int next_month(int month, KeyedStream& stream, int never) const {
        if (!(p_ > 0.0)) return never;
        if (p_ >= 1.0) return month + 1 < never ? month + 1 : never;
        // Events after `limit` months without one come too late.
        const int limit = never - month - 1;
        if (limit <= 0) return never;
        const double u = uniform_open01(stream);
        // Months without the event before it happens: floor(log U / log(1 - p)), the largest w
        // with U <= (1 - p)^w.
        if (static_cast<std::size_t>(limit) < no_event_within_.size()) {
            if (u <= no_event_within_[static_cast<std::size_t>(limit)]) return never;
            // A short wait (onboarding, a win-back window): counting beats a log.
            if (limit <= short_wait) {
                int waited = 0;
                for (int w = 1; w < limit; ++w)
                    waited += static_cast<int>(u <= no_event_within_[static_cast<std::size_t>(w)]);
                return month + 1 + waited;
            }
        }
        const double waited = std::floor(std::log(u) / log_stay_);
        return waited < static_cast<double>(limit) ? month + 1 + static_cast<int>(waited) : never;
    }

  private:
    static constexpr int short_wait = 8;
    double p_;
    double log_stay_;
    std::vector<double> no_event_within_;  // index w: (1 - p)^w
};

}  // namespace cohortsim
