#include "propensity_sampler.hpp"

#include <algorithm>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <limits>

namespace cohortsim {

namespace {

// Equal-probability bins: more bins make the squeeze tighter (fewer logs) at the cost of a
// larger table; 1024 bins (48 KiB) stay in L2 and accept ~99.5% of draws by the squeeze.
constexpr std::size_t bin_count = 1024;

// The edges only shape the bins (every envelope is a bound whatever the edges), so they need
// not be exact quantiles: double arithmetic, not Boost's default promotion to long double,
// builds the table about three times faster.
using DoublePrecision = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

// Vose's alias method: keep[k] and alias[k] such that choosing k uniformly, then keeping it with
// probability keep[k] or else taking alias[k], picks each bin with probability mass[k] / sum.
void build_alias(const std::vector<double>& mass, std::vector<double>& keep,
                 std::vector<std::uint32_t>& alias) {
    const std::size_t n = mass.size();
    double total = 0.0;
    for (double m : mass)
        total += m;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t k = 0; k < n; ++k) {
        scaled[k] = mass[k] * static_cast<double>(n) / total;
        (scaled[k] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(k));
    }
    keep.assign(n, 1.0);
    alias.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        alias[k] = static_cast<std::uint32_t>(k);
    while (!small.empty() && !large.empty()) {
        const std::uint32_t s = small.back();
        small.pop_back();
        const std::uint32_t l = large.back();
        keep[s] = scaled[s];
        alias[s] = l;
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    // What rounding leaves in either list keeps itself with probability 1.
}

}  // namespace

PropensitySampler::PropensitySampler(double alpha, double beta, bool tabulate)
    : alpha_(alpha), beta_(beta), churn_side_(alpha), stay_side_(beta) {
    if (!tabulate) return;
    try {
        build_table();
    } catch (const std::exception&) {
        bins_.clear();  // parameters beyond Boost.Math's reach: the gamma route is exact too
    }
}

double PropensitySampler::from_gammas(KeyedStream& stream) const {
    // lambda = -log(1 - theta) = log(1 + Ga / Gb), from the logs of the draws, which stay
    // finite where tiny shapes would underflow the draws themselves.
    const double difference = churn_side_.log_draw(stream) - stay_side_.log_draw(stream);
    const double lambda = difference > 40.0 ? difference : std::log1p(std::exp(difference));
    return std::min(lambda, max_monthly_hazard);
}

double PropensitySampler::envelope_log_density(const Bin& bin, double lambda) const {
    switch (bin.kind) {
        case BinKind::regular:
            return bin.log_envelope;
        case BinKind::singular_start:
            // theta >= lambda e^-lambda, so theta^(a-1) <= lambda^(a-1) e^(width (1-a)) for a < 1.
            return bin.width * (1.0 - alpha_) + (alpha_ - 1.0) * std::log(lambda);
        case BinKind::tail:
            return bin.log_envelope - bin.rate * (lambda - bin.left);
    }
    return 0.0;
}

void PropensitySampler::build_table() {
    // Edges: lambda_k = -log of the (1 - k/K) quantile of 1 - theta ~ Beta(beta, alpha), which
    // keeps full precision where theta is close to 1.
    std::vector<double> edges(bin_count);
    edges[0] = 0.0;
    for (std::size_t k = 1; k < bin_count; ++k) {
        const double p = 1.0 - static_cast<double>(k) / static_cast<double>(bin_count);
        edges[k] = -std::log(boost::math::ibeta_inv(beta_, alpha_, p, DoublePrecision()));
        if (!(edges[k] > edges[k - 1]) || !std::isfinite(edges[k]) ||
            edges[k] > max_monthly_hazard) {
            return;  // degenerate table (extreme parameters): use the gamma route
        }
    }
    const double mode = alpha_ > 1.0 ? std::log((alpha_ - 1.0 + beta_) / beta_) : 0.0;
    const auto log_density_at = [&](double lambda) {
        // theta^(alpha-1) is 1 for alpha = 1 even at lambda = 0, where the general form is 0*inf.
        return alpha_ == 1.0 ? -beta_ * lambda : log_density(lambda);
    };

    std::vector<Bin> bins(bin_count);
    std::vector<double> log_mass(bin_count);
    for (std::size_t k = 0; k < bin_count; ++k) {
        Bin& bin = bins[k];
        bin.left = edges[k];
        if (k + 1 == bin_count) {
            // Tail, an exponential envelope from `left`: for alpha >= 1 the log density is
            // concave, so its tangent there bounds it; for alpha < 1, theta^(alpha-1) is at
            // most its value at `left`, leaving e^(-beta lambda).
            bin.kind = BinKind::tail;
            bin.log_envelope = log_density_at(bin.left);
            bin.rate = alpha_ < 1.0 ? beta_ : beta_ - (alpha_ - 1.0) / std::expm1(bin.left);
            if (!(bin.rate > 0.0)) return;
            log_mass[k] = bin.log_envelope - std::log(bin.rate);
            continue;
        }
        bin.width = edges[k + 1] - edges[k];
        if (k == 0 && alpha_ < 1.0) {
            bin.kind = BinKind::singular_start;
            log_mass[k] =
                bin.width * (1.0 - alpha_) + alpha_ * std::log(bin.width) - std::log(alpha_);
            continue;
        }
        const double a = edges[k];
        const double b = edges[k + 1];
        const double log_max = log_density_at(std::clamp(mode, a, b));
        const double log_min = std::min(log_density_at(a), log_density_at(b));
        bin.log_envelope = log_max;
        bin.squeeze = std::exp(log_min - log_max);
        log_mass[k] = log_max + std::log(bin.width);
    }
    const double largest = *std::max_element(log_mass.begin(), log_mass.end());
    // The density integrates to B(alpha, beta); the envelope's mass over it is the mean number
    // of tries a draw takes. A loose envelope (extreme parameters) would be slow: use gammas.
    double envelope_mass = 0.0;
    for (double m : log_mass)
        envelope_mass += std::exp(m - largest);
    // Boost's lgamma, not std::lgamma: glibc's writes the global signgam, a data race when two
    // threads build samplers at once (scenarios run side by side by a library user).
    const double log_beta_function = boost::math::lgamma(alpha_) + boost::math::lgamma(beta_) -
                                     boost::math::lgamma(alpha_ + beta_);
    if (!(std::log(envelope_mass) + largest - log_beta_function < std::log(1.25))) return;
    std::vector<double> mass(bin_count);
    for (std::size_t k = 0; k < bin_count; ++k)
        mass[k] = std::exp(log_mass[k] - largest);
    std::vector<double> keep;
    std::vector<std::uint32_t> alias;
    build_alias(mass, keep, alias);
    for (std::size_t k = 0; k < bin_count; ++k) {
        bins[k].keep = keep[k];
        bins[k].alias = alias[k];
        if (!std::isfinite(bins[k].log_envelope) || !std::isfinite(mass[k])) return;
    }
    bins_ = std::move(bins);
}

}  // namespace cohortsim
