#pragma once
// A progress line on stderr (replications done, rate, ETA), redrawn a few times a second while
// a run is going, only when stderr is a terminal.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace cohortsim::cli {

class ProgressLine {
  public:
    ProgressLine(const std::atomic<std::int64_t>& done, std::int64_t total, bool enabled);
    ~ProgressLine();  // stops the reporter and clears the line
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

  private:
    void report_until_stopped();

    const std::atomic<std::int64_t>& done_;
    std::int64_t total_;
    std::chrono::steady_clock::time_point start_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread reporter_;
};

}  // namespace cohortsim::cli
