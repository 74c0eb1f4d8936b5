// `cohortsim run`: simulate scenarios and write the results file.

#include <unistd.h>
#include <set>

#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <thread>

#include "cli.hpp"
#include "cli_options.hpp"
#include "cli_progress.hpp"
#include "cli_scenarios.hpp"
#include "cli_signals.hpp"
#include "cohortsim/error.hpp"
#include "cohortsim/lever_reach.hpp"
#include "cohortsim/memory_estimate.hpp"
#include "cohortsim/runner.hpp"
#include "cohortsim/summary.hpp"
#include "cohortsim/sweep.hpp"

namespace po = boost::program_options;

namespace cohortsim::cli {

namespace {

// Once per run and scenario (sweep variants share their base's notes), on stderr: a lever that
// does not reach some customers (docs/model.md 3.1).
void warn_about_lever_reach(const std::vector<Scenario>& scenarios) {
    std::set<std::string> said;
    for (const Scenario& scenario : scenarios)
        for (const std::string& note : lever_reach_notes(scenario))
            if (said.insert(note).second)
                std::cerr << "cohortsim: note: " << scenario.source << ": " << note << '\n';
}

}  // namespace

namespace {

struct RunRequest {
    std::vector<std::string> scenario_files;
    std::string output = "cohortsim-results.h5";
    std::vector<std::string> assignments;  // --set, then the dedicated flags
    std::vector<std::string> sweeps;       // --sweep, in the order given
    std::string baseline;                  // --baseline: the comparison base, by name
    int threads = 0;
    std::string max_memory;  // empty: 80% of the machine's memory
    bool keep_paths = false;
    bool no_uncertainty = false;  // --no-uncertainty: the scenarios at their point values
    bool force = false;
    bool quiet = false;
};

// "4G", "500M", "64k" or plain bytes.
std::uint64_t parse_size(const std::string& text) {
    std::size_t used = 0;
    double number = 0.0;
    try {
        number = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    const double scale = unit.empty() || unit == "B"  ? 1.0
                         : unit == "k" || unit == "K" ? 1024.0
                         : unit == "M"                ? 1024.0 * 1024
                         : unit == "G"                ? 1024.0 * 1024 * 1024
                         : unit == "T"                ? 1024.0 * 1024 * 1024 * 1024
                                                      : -1.0;
    if (used == 0 || scale < 0.0 || !(number > 0.0) || !std::isfinite(number)) {
        throw InputError("--max-memory " + text +
                         ": allowed: a positive size in bytes, or with a unit k, M, G or T "
                         "(e.g. 4G)");
    }
    return static_cast<std::uint64_t>(number * scale);
}

std::uint64_t default_memory_limit() {
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return std::uint64_t{1} << 40;
    return static_cast<std::uint64_t>(0.8 * static_cast<double>(pages) *
                                      static_cast<double>(page_size));
}

// Refuses, before any work, a run that would not fit: absurd populations or horizons fail
// here with the estimate, not halfway with an allocation failure.
void check_memory(const std::vector<Scenario>& scenarios, const RunOptions& options,
                  const std::string& max_memory) {
    const std::uint64_t limit =
        max_memory.empty() ? default_memory_limit() : parse_size(max_memory);
    const int threads = options.threads > 0
                            ? options.threads
                            : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    const MemoryEstimate estimate = estimate_memory(scenarios, options, threads);
    if (estimate.total() <= limit) return;
    char limit_text[32];
    std::snprintf(limit_text, sizeof limit_text, "%.2f GiB",
                  static_cast<double>(limit) / (1ULL << 30));
    throw InputError("this run would need about " + estimate.describe() +
                     ", more than the memory limit of " + limit_text +
                     (max_memory.empty() ? " (80% of this machine's memory)" : " (--max-memory)") +
                     "; lower the replications, the horizon or the number of customers, use "
                     "fewer threads, or raise --max-memory");
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// Fail before simulating, not after: an existing target or a missing directory.
void check_output_target(const std::filesystem::path& target, bool force) {
    std::error_code error;
    if (std::filesystem::exists(target, error) && !force) {
        throw InputError("output file '" + target.string() +
                         "' exists; use --force to overwrite it");
    }
    const auto directory = target.has_parent_path() ? target.parent_path() : ".";
    if (!std::filesystem::is_directory(directory, error)) {
        throw InputError("output directory '" + directory.string() + "' does not exist (-o " +
                         target.string() + ")");
    }
    if (access(directory.c_str(), W_OK) != 0) {
        throw InputError("output directory '" + directory.string() + "' is not writable (-o " +
                         target.string() + ")");
    }
}

// The scenarios to run: each file once per sweep variant of the --sweep flags that vary it (file
// by file, the variants in grid order), then the --baseline scenario moved first: it is the
// comparison base. A variant is named "<scenario>__<key>=<value>..."; its overrides come after
// --set's, so they win.
struct LoadedScenarios {
    std::vector<Scenario> scenarios;
    std::vector<std::vector<SweptValue>> swept;  // per scenario
};

// --baseline NAME: that scenario (a file's, or a sweep variant's name) first, the others in
// their order.
void move_baseline_first(LoadedScenarios& loaded, const std::string& baseline) {
    const auto found = std::find_if(loaded.scenarios.begin(), loaded.scenarios.end(),
                                    [&](const Scenario& s) { return s.name == baseline; });
    if (found == loaded.scenarios.end()) {
        std::string known;
        for (const Scenario& scenario : loaded.scenarios)
            known += (known.empty() ? "" : ", ") + scenario.name;
        throw InputError("--baseline " + baseline +
                         ": no scenario of that name in this run; "
                         "its scenarios: " +
                         known);
    }
    const auto k = static_cast<std::size_t>(found - loaded.scenarios.begin());
    std::rotate(loaded.scenarios.begin(), found, found + 1);
    std::rotate(loaded.swept.begin(), loaded.swept.begin() + static_cast<std::ptrdiff_t>(k),
                loaded.swept.begin() + static_cast<std::ptrdiff_t>(k) + 1);
}

LoadedScenarios load_variants(const std::vector<std::filesystem::path>& paths,
                              const std::vector<Override>& overrides,
                              const std::vector<std::string>& sweeps, const std::string& baseline) {
    std::vector<SweepAxis> axes;
    for (const std::string& text : sweeps)
        axes.push_back(parse_sweep(text));
    LoadedScenarios loaded;
    std::vector<std::string> names;  // of the files, before any variant
    for (const auto& path : paths) {
        const Scenario base = std::move(load_scenarios({path}, overrides).front());
        names.push_back(base.name);
        for (const SweepVariant& variant : sweep_variants_of(axes, base.name)) {
            if (variant.overrides.empty()) {
                loaded.scenarios.push_back(base);
                loaded.swept.push_back({});
                continue;
            }
            std::vector<Override> all = overrides;
            all.insert(all.end(), variant.overrides.begin(), variant.overrides.end());
            Scenario scenario;
            try {
                scenario = std::move(load_scenarios({path}, all).front());
            } catch (const InputError& error) {
                throw InputError("--sweep variant '" + variant.suffix.substr(2) +
                                 "': " + error.what());
            }
            std::string comment = "# sweep variant " + scenario.name + variant.suffix +
                                  " of scenario " + scenario.name + ":";
            for (const Override& entry : variant.overrides)
                comment += " " + entry.key + " = " + entry.value;
            scenario.resolved_toml = comment + "\n" + scenario.resolved_toml;
            scenario.name += variant.suffix;
            loaded.scenarios.push_back(std::move(scenario));
            loaded.swept.push_back(variant.values);
        }
    }
    check_swept_scenarios(axes, names);
    if (!baseline.empty()) move_baseline_first(loaded, baseline);
    return loaded;
}

}  // namespace

int run_command(const Arguments& arguments, const std::string& command_line, const Job& job) {
    RunRequest request;
    bool help_only = false;
    LoadedScenarios loaded;
    std::filesystem::path target;
    std::atomic<std::int64_t> done{0};
    RunOptions run_options;
    // Everything that can refuse the run, before any simulation: in an MPI job every process
    // agrees on the outcome, so that a bad input ends the whole job with exit code 2 at once.
    job.prepare([&] {
        std::int64_t replications = 0;
        std::uint64_t seed = 0;
        int horizon = 0;
        po::options_description options("cohortsim run [SCENARIO.toml ...] [options]");
        options.add_options()("help,h", "show this help")(
            "output,o", po::value(&request.output)->value_name("OUT.h5"),
            "results file (default cohortsim-results.h5)")(
            "replications,r", po::value(&replications)->value_name("N"),
            "replications (overrides simulation.replications)")(
            "seed", po::value(&seed)->value_name("S"), "master seed (overrides simulation.seed)")(
            "threads,t", po::value(&request.threads)->value_name("T"),
            "worker threads (per process in an MPI job); 0 = all cores (results do not depend "
            "on it)")("horizon", po::value(&horizon)->value_name("MONTHS"),
                      "months to simulate (overrides simulation.horizon_months)")(
            "set", po::value(&request.assignments)->composing()->value_name("KEY=VALUE"),
            "override a scenario key for every scenario, e.g. --set retention.alpha=0.7")(
            "sweep", po::value(&request.sweeps)->composing()->value_name("KEY=VALUES"),
            "run every scenario once per value: KEY=v1,v2,... or KEY=start:stop:step; repeat for a "
            "grid; NAME[,NAME...]:KEY=... varies only the scenarios named")(
            "baseline", po::value(&request.baseline)->value_name("NAME"),
            "the scenario every other is compared with (default: the first; a sweep's first "
            "variant)")(
            "max-memory", po::value(&request.max_memory)->value_name("SIZE"),
            "refuse a run whose memory estimate exceeds SIZE (e.g. 4G, 500M; default 80% of RAM)")(
            "keep-paths", po::bool_switch(&request.keep_paths),
            "also write every replication's path (paths/<metric>)")(
            "no-uncertainty", po::bool_switch(&request.no_uncertainty),
            "ignore the scenarios' [uncertainty]: every replication at the point values (the "
            "intervals then hold the simulation's randomness only)")(
            "force", po::bool_switch(&request.force), "overwrite an existing output file")(
            "quiet,q", po::bool_switch(&request.quiet), "no progress line");
        po::options_description hidden;
        hidden.add_options()("scenario", po::value(&request.scenario_files));
        const auto parsed = parse_options(arguments, options, hidden, "scenario");
        if (!parsed) {
            help_only = true;
            return;
        }
        const po::variables_map& given = *parsed;
        if (given.count("threads") != 0U && request.threads < 0) {
            throw InputError("--threads " + std::to_string(request.threads) +
                             ": allowed: 0 (all cores) or a positive count");
        }
        if (given.count("replications") != 0U) {
            request.assignments.push_back("simulation.replications=" +
                                          std::to_string(replications));
        }
        if (given.count("seed") != 0U) {
            request.assignments.push_back("simulation.seed=" + std::to_string(seed));
        }
        if (given.count("horizon") != 0U) {
            request.assignments.push_back("simulation.horizon_months=" + std::to_string(horizon));
        }

        std::vector<std::filesystem::path> paths(request.scenario_files.begin(),
                                                 request.scenario_files.end());
        if (paths.empty()) paths = bundled_scenarios();
        loaded = load_variants(paths, parse_overrides(request.assignments), request.sweeps,
                               request.baseline);
        target = request.output;
        // Only the leading process writes the file; the others may not even see its directory.
        if (job.leads()) check_output_target(target, request.force);

        run_options.threads = request.threads;
        run_options.keep_paths = request.keep_paths;
        run_options.input_uncertainty = !request.no_uncertainty;
        run_options.cancel = &interrupt_requested();
        run_options.replications_done = &done;
        run_options.partition = job.partition();
        check_memory(loaded.scenarios, run_options, request.max_memory);
    });
    if (help_only) return 0;
    const std::vector<Scenario>& scenarios = loaded.scenarios;
    if (job.leads()) warn_about_lever_reach(scenarios);

    RunCounters counters;
    const auto start = std::chrono::steady_clock::now();
    RunResults results;
    {
        // The progress of this process's own share: in a job, its block of every scenario.
        const auto replications =
            static_cast<std::size_t>(scenarios.front().simulation.replications);
        const ReplicationPartition* partition = run_options.partition;
        const std::size_t share =
            partition == nullptr
                ? replications
                : replication_block(replications, partition->process(), partition->processes())
                      .size();
        const auto total = static_cast<std::int64_t>(share * scenarios.size());
        ProgressLine progress(done, total,
                              job.leads() && !request.quiet && isatty(STDERR_FILENO) == 1);
        results = run_scenarios(scenarios, run_options, &counters);
    }
    if (!job.leads()) return 0;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (std::size_t i = 0; i < results.scenarios.size(); ++i)
        results.scenarios[i].swept = std::move(loaded.swept[i]);
    results.created_utc = utc_now();
    results.command_line = command_line;
    write_results(results, target, request.force, &interrupt_requested());

    std::cout << format_summary(results) << '\n';
    const std::string processes =
        run_options.partition == nullptr
            ? ""
            : " (" + std::to_string(run_options.partition->processes()) + " processes)";
    std::printf(
        "wrote %s: %lld replications x %zu scenarios, %.4g customer-months in %.3g s = %.3g "
        "customer-months/s%s\n",
        target.string().c_str(), static_cast<long long>(results.replications), scenarios.size(),
        static_cast<double>(counters.customer_months), seconds,
        seconds > 0.0 ? static_cast<double>(counters.customer_months) / seconds : 0.0,
        processes.c_str());
    return 0;
}

}  // namespace cohortsim::cli
