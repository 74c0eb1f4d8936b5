#include "cli_progress.hpp"

#include <cstdio>

namespace cohortsim::cli {

ProgressLine::ProgressLine(const std::atomic<std::int64_t>& done, std::int64_t total, bool enabled)
    : done_(done), total_(total), start_(std::chrono::steady_clock::now()) {
    if (enabled) reporter_ = std::thread([this] { report_until_stopped(); });
}

ProgressLine::~ProgressLine() {
    if (!reporter_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    reporter_.join();
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
}

void ProgressLine::report_until_stopped() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
        const std::int64_t done = done_.load();
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = seconds > 0.0 ? static_cast<double>(done) / seconds : 0.0;
        const double eta = rate > 0.0 ? static_cast<double>(total_ - done) / rate : 0.0;
        std::fprintf(stderr, "\r\033[K%lld/%lld replications  %.1f replications/s  ETA %.0f s",
                     static_cast<long long>(done), static_cast<long long>(total_), rate, eta);
        std::fflush(stderr);
    }
}

}  // namespace cohortsim::cli
