#include "block_wire.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace cohortsim {
namespace {

// A block travels to process 0 as the bytes of its arrays, in a fixed order (every process
// runs the same binary, so the layouts agree).
class ByteWriter {
  public:
    template <typename T>
    void put(std::span<const T> values) {
        const auto* bytes = reinterpret_cast<const std::byte*>(values.data());
        bytes_.insert(bytes_.end(), bytes, bytes + values.size_bytes());
    }
    std::vector<std::byte> take() { return std::move(bytes_); }

  private:
    std::vector<std::byte> bytes_;
};

class ByteReader {
  public:
    explicit ByteReader(std::span<const std::byte> bytes) : bytes_(bytes) {}
    template <typename T>
    void get(std::span<T> values) {
        if (values.size_bytes() > bytes_.size() - used_) throw_size_mismatch();
        std::memcpy(values.data(), bytes_.data() + used_, values.size_bytes());
        used_ += values.size_bytes();
    }
    void expect_end() const {
        if (used_ != bytes_.size()) throw_size_mismatch();
    }

  private:
    [[noreturn]] void throw_size_mismatch() const {
        throw std::runtime_error("a process sent " + std::to_string(bytes_.size()) +
                                 " bytes for its block of replications, not the size expected; "
                                 "every process must run the same cohortsim binary");
    }
    std::span<const std::byte> bytes_;
    std::size_t used_ = 0;
};

// FNV-1a of the resolved scenario: processes that loaded different files (a cluster node with
// other copies of the scenarios) would otherwise be merged without a word.
std::uint64_t fingerprint(const Scenario& scenario) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : scenario.resolved_toml) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash;
}

}  // namespace

std::vector<std::byte> pack_block(const BlockValues& sent, const Scenario& scenario) {
    const std::uint64_t print = fingerprint(scenario);
    ByteWriter writer;
    writer.put(std::span(&print, 1));
    for (const auto& series : sent.metrics)
        writer.put<double>(series);
    for (const auto& series : sent.kpis)
        writer.put<double>(series);
    writer.put<std::int64_t>(sent.totals.cohort_active);
    writer.put<Micros>(sent.totals.cohort_mrr);
    writer.put<std::int64_t>(sent.totals.churned_by_reason);
    writer.put(std::span(&sent.totals.customer_months, 1));
    return writer.take();
}

void unpack_block(std::span<const std::byte> bytes, int process, ReplicationBlock block,
                  const Scenario& scenario, BlockValues& all) {
    const std::size_t months = all.totals.months();
    ByteReader reader(bytes);
    std::uint64_t their_print = 0;
    reader.get(std::span(&their_print, 1));
    if (their_print != fingerprint(scenario)) {
        throw std::runtime_error("process " + std::to_string(process) + " simulated scenario '" +
                                 scenario.name +
                                 "' with settings other than process 0's; every process "
                                 "must load the same scenario files and options");
    }
    for (auto& series : all.metrics)
        reader.get(std::span(series).subspan(block.first * months, block.size() * months));
    for (auto& series : all.kpis)
        reader.get(std::span(series).subspan(block.first, block.size()));
    CountTotals part(months);
    reader.get(std::span(part.cohort_active));
    reader.get(std::span(part.cohort_mrr));
    reader.get(std::span(part.churned_by_reason));
    reader.get(std::span(&part.customer_months, 1));
    reader.expect_end();
    all.totals.add(part);  // exact integers: the order of processes is moot
}

}  // namespace cohortsim
