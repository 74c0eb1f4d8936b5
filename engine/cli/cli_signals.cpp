#include "cli_signals.hpp"

#include <csignal>

namespace cohortsim::cli {

namespace {
// A signal handler can only reach static storage; these are the only mutable globals.
std::atomic<bool> requested{false};
std::atomic<int> signal_number{0};

extern "C" void on_signal(int number) {
    signal_number.store(number);
    requested.store(true);
}
}  // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    // Past a file-size limit (ulimit -f) a write should fail with EFBIG, which the results
    // writer reports and cleans up after, not kill the process mid-write.
    signal(SIGXFSZ, SIG_IGN);
}

const std::atomic<bool>& interrupt_requested() {
    return requested;
}

int interrupt_exit_code() {
    return 128 + (signal_number.load() == 0 ? SIGINT : signal_number.load());
}

}  // namespace cohortsim::cli
