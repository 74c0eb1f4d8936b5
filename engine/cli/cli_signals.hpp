#pragma once
// SIGINT / SIGTERM turn into a cancellation flag that the runner polls, so that a run stops
// between months, removes its temporary file and exits with 128 + the signal number.

#include <atomic>

namespace cohortsim::cli {

void install_interrupt_handlers();
const std::atomic<bool>& interrupt_requested();
int interrupt_exit_code();  // 130 for SIGINT, 143 for SIGTERM

}  // namespace cohortsim::cli
