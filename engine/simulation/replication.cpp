#include "replication.hpp"

#include <algorithm>
#include <cmath>

#include "cohortsim/error.hpp"
#include "cohortsim/random.hpp"
#include "hazard_budget.hpp"
#include "replication_month.hpp"

namespace cohortsim {

namespace {
// The sources of coverage that act on hazards, at their bits: the farmers (bit 0), when a month
// of the run can have some, then the retention programmes, then the price changes' shocks.
std::vector<HazardCover> hazard_covers(const Scenario& scenario, const Interventions& interventions,
                                       const PriceChanges& prices) {
    const CoverageEffect farmers = coverage_effect(scenario.team);
    const std::vector<HazardCover> programmes = interventions.covers();
    const std::vector<HazardCover> shocks = prices.covers();
    if (!farmers.possible && programmes.empty() && shocks.empty()) return {};
    std::vector<HazardCover> covers{
        farmers.possible ? HazardCover{farmers.hazard, farmers.stalled_hazard} : HazardCover{}};
    covers.insert(covers.end(), programmes.begin(), programmes.end());
    covers.insert(covers.end(), shocks.begin(), shocks.end());
    return covers;
}

bool needs_mrr_history(const Scenario& scenario) {
    return scenario.usage_pricing.enabled || scenario.upsell.enabled ||
           !scenario.cross_sell.empty() || scenario.contraction.enabled ||
           scenario.win_back.enabled;
}
}  // namespace

void Workspace::reset_calendars(int horizon) {
    calendar.reset(horizon);
    renewing_intents.reset(horizon);
    invoices.reset(horizon);
}

void Workspace::renumber_calendars(std::size_t old_size, int month) {
    calendar.renumber(kept, old_size, month);
    renewing_intents.renumber(kept, old_size, month);
    invoices.renumber(kept, old_size, month);
}

ReplicationSimulator::ReplicationSimulator(const Scenario& scenario, ChurnScheduling scheduling)
    : horizon_(scenario.simulation.horizon_months),
      finance_(scenario.finance),
      segment_count_(scenario.segments.size()),
      contracts_(scenario),
      billing_(contracts_, horizon_),
      acquisition_(scenario, contracts_),
      interventions_(scenario),
      prices_(scenario, programme_cover_bit(interventions_.count())),
      retention_(scenario, horizon_ + oldest_book_tenure(scenario),
                 hazard_covers(scenario, interventions_, prices_), prices_.bits()),
      starting_mrr_(scenario.segments),
      book_(scenario),
      team_(scenario, contracts_),
      coverage_(TargetingRule{scenario.team.targeting, scenario.team.signal_noise,
                              scenario.team.at_risk_threshold, Purpose::farmer_priority}),
      net_retention_(needs_mrr_history(scenario)),
      scheduler_(retention_, horizon_, scheduling,
                 team_.coverage().possible || interventions_.enabled() || prices_.shocks(),
                 !scenario.cross_sell.empty()),
      declared_(make_mechanisms(scenario, std::type_identity<DeclaredMechanisms>())) {
    for (std::size_t k = 0; k < declared_mechanism_count; ++k) {
        first_series_[k] = first_series_of(k);
        first_cost_[k] = first_cost_of(k);
    }
    // Sweeping the churned out only speeds up the passes that walk every customer each month;
    // the memory is reserved up front either way.
    walks_population_ = !scheduler_.uses_calendar() || declared<UsagePricing>().enabled() ||
                        net_retention_.per_customer() || prices_.enabled();
}

std::size_t ReplicationSimulator::expected_customers() const {
    double expected = static_cast<double>(book_.customers());
    for (std::size_t s = 0; s < segment_count_; ++s) {
        expected += static_cast<double>(acquisition_.initial_counts()[s]);
        for (int month = 1; month <= horizon_; ++month) {
            expected += acquisition_.expected_new_count(month, s) + team_.expected_hunted(month, s);
        }
    }
    const double before_declared = expected;
    for_each_enabled(declared_, [&](const auto& mechanism, std::size_t) {
        if constexpr (AddsCustomers<std::remove_cvref_t<decltype(mechanism)>>)
            expected += mechanism.expected_added(before_declared);
    });
    return static_cast<std::size_t>(expected * 1.05) + 1024;
}

void ReplicationSimulator::choose_columns(Population& population) const {
    population.tracks_adoption = declared<CrossSell>().enabled();
    population.tracks_returns = declared<WinBack>().enabled();
    population.tracks_history = net_retention_.per_customer();
    population.tracks_due = scheduler_.uses_calendar();
    population.tracks_plan = scheduler_.keeps_plans();
    population.tracks_billing = billing_.enabled();
    population.tracks_prices = prices_.enabled();
}

std::size_t ReplicationSimulator::bytes_per_customer() const {
    Population columns;
    choose_columns(columns);
    // + the scratch lists (whose budget ran out; who came back, whose hazard changed), and about
    // one entry in each calendar that files customers (a calendar keeps a replication's entries):
    // churn when steady (three with onboarding's changes of hazard), waiting intents, upfront
    // invoices; + what the
    // declared mechanisms keep (their calendars, their scratch); + the farmers' ranking of every
    // account and whom they chose.
    const std::size_t entries = 2 + scheduler_.entries_per_customer() +
                                static_cast<std::size_t>(contracts_.has_long_terms()) +
                                static_cast<std::size_t>(billing_.enabled());
    std::size_t declared_bytes = 0;
    for_each_enabled(declared_, [&](const auto& mechanism, std::size_t) {
        if constexpr (HoldsMemory<std::remove_cvref_t<decltype(mechanism)>>)
            declared_bytes += mechanism.bytes_per_customer();
    });
    // + the choice of covered accounts: a score and a mark each, and the programmes' bits.
    const bool chooses = team_.coverage().possible || interventions_.enabled();
    const std::size_t coverage = (chooses ? sizeof(std::pair<double, std::uint32_t>) + 1 : 0) +
                                 (interventions_.enabled() ? 1 : 0);
    return columns.bytes_per_customer() + sizeof(std::uint32_t) * entries + declared_bytes +
           coverage;
}

ReplicationRecord ReplicationSimulator::run(std::uint64_t seed, std::uint64_t replication,
                                            Workspace& workspace,
                                            const std::atomic<bool>* cancel) const {
    Population& population = workspace.population;
    choose_columns(population);
    population.clear();
    population.reserve(expected_customers());
    workspace.reset_calendars(horizon_);
    Month now(horizon_, replication_key(seed, replication), workspace, interventions_.count());
    now.ledger.finance(finance_.gross_margin, finance_.cost_to_serve_per_customer_month,
                       finance_.discount_rate);
    if (declared<WinBack>().enabled()) now.ledger.counts_returns();
    for_each_enabled(declared_, now.declared, [&](const auto& mechanism, auto& state, std::size_t) {
        mechanism.start(state, horizon_, segment_count_);
    });
    for (std::size_t s = 0; s < segment_count_; ++s) {
        add_customers(now, 0, s, acquisition_.initial_counts()[s]);
    }
    add_book(now);
    now.ledger.close_month(0);
    net_retention_.close_month(population, now.ledger, 0);
    for (int month = 1; month <= horizon_; ++month) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) throw Interrupted();
        now.month = month;
        now.ledger.count_renewal_decisions(now.ledger.active());
        cover_accounts(now);
        resolve_renewals(now);
        move_revenue(now);
        win_back(now);
        acquire(now);
        now.ledger.close_month(month);
        net_retention_.close_month(population, now.ledger, month);
        const std::size_t before_sweep = population.size();
        if (walks_population_ && population.sweep_if_worthwhile(month, workspace.kept)) {
            workspace.renumber_calendars(before_sweep, month);
            for_each_enabled(declared_, workspace.declared,
                             [&](const auto& mechanism, auto& state, std::size_t) {
                                 if constexpr (Renumbers<std::remove_cvref_t<decltype(mechanism)>>)
                                     mechanism.renumber(state, workspace.kept, before_sweep, month);
                             });
        }
    }
    return now.ledger.take_record();
}

// New logos join at the end of their month and face their first renewal a month later: the
// inbound ones first, then the hunters', then those of the declared mechanisms (so that a lever
// adds customers without changing who the others are).
void ReplicationSimulator::acquire(Month& now) const {
    std::vector<std::int64_t>& hunted = now.workspace.hunted;
    hunted.assign(segment_count_, 0);
    team_.hunt(now.month, now.replication_key, hunted, now.ledger);
    for (std::size_t s = 0; s < segment_count_; ++s) {
        const std::int64_t inbound = acquisition_.new_count(now.month, s, now.replication_key);
        const std::int64_t declared = declared_new_logos(now, s);
        const std::size_t first = now.population.size();
        add_customers(now, now.month, s, inbound + hunted[s] + declared);
        if (interventions_.enabled())
            interventions_.on_new_logos(now.population, first, now.month, now.ledger);
        if (hunted[s] == 0) continue;
        // The hunters' logos come right before the declared mechanisms': their MRR is what CAC
        // payback weighs.
        const Population& population = now.population;
        const std::size_t last = population.size() - static_cast<std::size_t>(declared);
        double hunted_mrr = 0.0;
        for (std::size_t i = last - static_cast<std::size_t>(hunted[s]); i < last; ++i)
            hunted_mrr += population.mrr[i];
        now.ledger.hunted(hunted[s], hunted_mrr, now.month);
    }
}

// The month's farmer capacity goes to the accounts active at its start; then each retention
// programme covers its accounts.
void ReplicationSimulator::cover_accounts(Month& now) const {
    // The price shocks first: the health signal the farmers and programmes aim by sees them.
    if (prices_.shocks()) prices_.assign_shocks(now.population, retention_, now.month);
    if (team_.coverage().possible)
        now.ledger.covered(
            coverage_.assign(now.population, retention_, team_.farmer_capacity(now.month),
                             now.month, farmer_cover_bit, now.workspace.coverage),
            now.month);
    if (interventions_.enabled())
        interventions_.assign(now.population, retention_, now.month, now.ledger,
                              now.workspace.coverage);
}

void ReplicationSimulator::add_customers(Month& now, int cohort, std::size_t segment,
                                         std::int64_t count) const {
    Population& population = now.population;
    const std::size_t first = population.append(static_cast<std::size_t>(count));
    const Arrival arrival{cohort > 0 ? Arrival::Kind::new_logo : Arrival::Kind::initial};
    for (std::int64_t k = 0; k < count; ++k) {
        const CustomerId id{static_cast<std::uint32_t>(cohort), static_cast<std::uint32_t>(segment),
                            static_cast<std::uint32_t>(k)};
        const std::uint64_t key = customer_key(now.replication_key, id);
        const std::size_t i = first + static_cast<std::size_t>(k);
        population.cohort[i] = static_cast<std::uint16_t>(cohort);
        population.joined[i] = static_cast<std::int16_t>(cohort);
        population.segment[i] = static_cast<std::uint8_t>(segment);
        population.key[i] = key;
        retention_.on_join(population, i, key, arrival);
    }
    // The other mechanisms in a pass of their own: the propensity draws of successive
    // customers overlap better in a short loop.
    for (std::size_t i = first; i < population.size(); ++i)
        join(now, i, arrival, cohort);
    declared_on_join(now, first, population.size(), arrival, cohort);
    scheduler_.start(population, now.workspace.calendar, first, population.size(), now.month);
}

// What every mechanism draws for customer i when it joins (in month `month`), after its hazard
// budget, in the order each reads the one before: the MRR before the contract's discount.
void ReplicationSimulator::join(Month& now, std::size_t i, const Arrival& arrival,
                                int month) const {
    Population& population = now.population;
    const std::uint64_t key = population.key[i];
    starting_mrr_.on_join(population, i, key, arrival);
    contracts_.on_join(population, i, key, arrival);
    if (prices_.enabled()) prices_.on_join(population, i, month);
    if (billing_.enabled())
        billing_.on_join(population, i, arrival, month, now.ledger, now.workspace.invoices);
    now.ledger.join(population.cohort[i], population.mrr[i], month);
}

// Today's customers are the stock at month 0 with the initial customers (cohort 0, not new
// logos); each continues its life from its tenure.
void ReplicationSimulator::add_book(Month& now) const {
    Population& population = now.population;
    std::uint32_t k = 0;
    for (std::size_t e = 0; e < book_.entries().size(); ++e) {
        const BookEntry& entry = book_.entries()[e];
        const Arrival arrival{Arrival::Kind::book, &entry, e};
        const std::size_t first = population.append(static_cast<std::size_t>(entry.customers));
        for (std::int64_t n = 0; n < entry.customers; ++n, ++k) {
            const std::uint64_t key =
                customer_key(now.replication_key, Book::customer_id(entry, k));
            const std::size_t i = first + static_cast<std::size_t>(n);
            population.joined[i] = static_cast<std::int16_t>(-entry.tenure_months);
            population.segment[i] = entry.segment;
            population.key[i] = key;
            retention_.on_join(population, i, key, arrival);
            join(now, i, arrival, 0);
        }
        declared_on_join(now, first, population.size(), arrival, 0);
        scheduler_.start(population, now.workspace.calendar, first, population.size(), now.month);
    }
}

void ReplicationSimulator::resolve_renewals(Month& now) const {
    const std::size_t count = scheduler_.exhausted(now.population, now.workspace.calendar,
                                                   now.month, now.workspace.exhausted);
    const bool onboarding = retention_.has_onboarding();
    const bool duration = retention_.is_duration_dependent();
    if (onboarding && duration)
        act_on_exhausted<true, true>(now, count);
    else if (onboarding)
        act_on_exhausted<true, false>(now, count);
    else if (duration)
        act_on_exhausted<false, true>(now, count);
    else
        act_on_exhausted<false, false>(now, count);
    if (contracts_.has_long_terms()) resolve_waiting_intents(now);
    // Who renewed pays the month's prices, on the invoice of its new term too.
    if (prices_.enabled()) prices_.renewals(now.population, now.month, now.ledger);
    if (billing_.enabled())
        billing_.renewals(now.population, now.month, now.ledger, now.workspace.invoices);
}

void ReplicationSimulator::restart(Month& now, std::size_t i) const {
    scheduler_.restart(now.population, now.workspace.calendar, i, now.month);
}

// The first `count` customers of workspace.exhausted ran out of budget this month. Their
// reasons are drawn in a pass of their own, before anything acts on them: short passes let
// the draws of successive customers overlap.
template <bool Onboarding, bool DurationDependent>
void ReplicationSimulator::act_on_exhausted(Month& now, std::size_t count) const {
    const Population& population = now.population;
    const std::vector<std::uint32_t>& exhausted = now.workspace.exhausted;
    std::vector<ChurnReason>& reasons = now.workspace.reasons;
    if (reasons.size() < count) reasons.resize(count);
    for (std::size_t k = 0; k < count; ++k) {
        const std::size_t i = exhausted[k];
        KeyedStream stream(monthly_stream_key(population.key[i], Purpose::churn_reason, now.month));
        reasons[k] = retention_.pick_reason(
            retention_.parts<Onboarding, DurationDependent>(population, i,
                                                            population.month_of_life(i, now.month)),
            population.segment[i], population.covered[i], uniform_open01(stream));
    }
    for (std::size_t k = 0; k < count; ++k)
        exhausted_budget(now, exhausted[k], reasons[k]);
}

// The budget ran out, for `reason` (the competing risk that did it). Unavoidable churn cannot wait
// for a renewal; any other reason becomes an intent, executed at the renewal date (now, for a
// customer renewing this month).
void ReplicationSimulator::exhausted_budget(Month& now, std::size_t i, ChurnReason reason) const {
    Population& population = now.population;
    const int contract_month = population.contract_month(i, now.month);
    if (reason == ChurnReason::unavoidable) {
        // The rest of the term will never be paid (unless it was, upfront).
        if (!billing_.prepaid(population, i))
            now.ledger.bad_debt(population.mrr[i] * Contracts::months_to_renewal(
                                                        population.term_months[i], contract_month),
                                now.month);
        churn(now, i, reason);
        return;
    }
    population.form_intent(i, reason);
    if (Contracts::is_renewal(population.term_months[i], contract_month)) {
        resolve_intent(now, i);
        return;
    }
    // Until its renewal only unavoidable churn can reach it, from a fresh budget.
    const int renewal =
        now.month + Contracts::months_to_renewal(population.term_months[i], contract_month);
    if (renewal <= horizon_) now.workspace.renewing_intents.add(i, renewal);
    population.budget[i] = fresh_budget(population.key[i], Purpose::intent_budget, now.month);
    restart(now, i);
}

// At a renewal date with an intent to leave: a stalled-onboarding intent is cured if the
// customer has activated by now (docs/model.md 5); the save desk may keep it; otherwise it leaves.
void ReplicationSimulator::resolve_intent(Month& now, std::size_t i) const {
    Population& population = now.population;
    const ChurnReason reason = population.intent_reason(i);
    const bool cured = declared_cures(now, i, reason);
    // A farmer covering the account makes the save likelier (seed 002 item 5).
    const double save_rate =
        std::max({declared_save_probability(now, i),
                  population.is_covered_by(i, farmer_cover_bit) ? team_.coverage().save_rate : 0.0,
                  interventions_.enabled() ? interventions_.save_rate(population, i) : 0.0});
    bool saved = false;
    if (!cured && save_rate > 0.0) {
        KeyedStream stream(monthly_stream_key(population.key[i], Purpose::save_desk, now.month));
        saved = uniform_open01(stream) < save_rate;
        declared_on_save_attempt(now, i, saved);
    }
    if (!cured && !saved) {
        churn(now, i, reason);
        return;
    }
    cured ? now.ledger.cured(now.month) : now.ledger.saved(now.month);
    population.drop_intent(i);
    population.budget[i] = fresh_budget(population.key[i], Purpose::restart_budget, now.month);
    restart(now, i);
}

// Intents formed earlier in a long term reach their renewal date.
void ReplicationSimulator::resolve_waiting_intents(Month& now) const {
    Population& population = now.population;
    std::vector<std::uint32_t>& waiting = now.workspace.renewing_intents.at(now.month);
    // In index order, as a walk over the population would meet them.
    std::sort(waiting.begin(), waiting.end());
    for (const std::uint32_t i : waiting) {
        // Gone since, or resolved already (an entry twice: churned, won back, a new intent).
        if (!population.has_intent(i) || population.is_churned(i)) continue;
        if (Contracts::is_renewal(population.term_months[i],
                                  population.contract_month(i, now.month))) {
            resolve_intent(now, i);
        }
    }
}

void ReplicationSimulator::churn(Month& now, std::size_t i, ChurnReason reason) const {
    Population& population = now.population;
    now.ledger.churn(population.cohort[i], population.mrr[i], reason, now.month);
    if (population.tracks_returns)
        now.ledger.count_window_churn(now.month, population.active_since(i));
    const int lapse = declared_lapse_months(reason);
    population.mark_churned(i, lapse > 0 ? now.month + lapse : 0);
    if (billing_.enabled()) billing_.on_churn(population, i, now.month, now.ledger);
    declared_on_churn(now, i, reason);
}

// The declared mechanisms' month steps, in registry order (usage, upsell, cross-sell,
// contraction, ...); whoever's hazard a step changed (a cross-sell adoption makes the customer
// stickier from next month on) is planned again right after that step.
void ReplicationSimulator::move_revenue(Month& now) const {
    std::vector<std::uint32_t>& changed = now.workspace.changed_hazards;
    for_each_enabled(
        declared_, now.declared, [&](const auto& mechanism, auto& state, std::size_t k) {
            if constexpr (StepsMonthly<std::remove_cvref_t<decltype(mechanism)>>) {
                MechanismContext context = context_of(now, k);
                changed.clear();
                context.collect_hazard_changes(changed);
                mechanism.month_step(state, context);
                for (const std::uint32_t i : changed)
                    scheduler_.hazard_changed(now.population, now.workspace.calendar, i, now.month);
            }
        });
}

// Lost customers come back (win-back); each starts a new term from its return, and the other
// mechanisms set it up again: the onboarding it had left with, its next movements (docs/model.md
// 5).
void ReplicationSimulator::win_back(Month& now) const {
    std::vector<std::uint32_t>& returned = now.workspace.returned;
    returned.clear();
    for_each_enabled(declared_, now.declared,
                     [&](const auto& mechanism, auto& state, std::size_t k) {
                         if constexpr (BringsBack<std::remove_cvref_t<decltype(mechanism)>>) {
                             MechanismContext context = context_of(now, k);
                             mechanism.bring_back(state, context, returned);
                         }
                     });
    for (const std::uint32_t i : returned) {
        contracts_.start_term(now.population, i, now.month);
        if (billing_.enabled())
            billing_.on_return(now.population, i, now.month, now.ledger, now.workspace.invoices);
        declared_on_return(now, i);
        restart(now, i);
    }
}

MechanismContext ReplicationSimulator::context_of(Month& now, std::size_t k) const {
    return context_of(now, k, now.month);
}

MechanismContext ReplicationSimulator::context_of(Month& now, std::size_t k, int month) const {
    return MechanismContext(now.population, now.ledger, now.replication_key, month, horizon_,
                            first_series_[k], first_cost_[k]);
}

void ReplicationSimulator::declared_on_churn(Month& now, std::size_t i, ChurnReason reason) const {
    for_each_enabled(declared_, now.declared,
                     [&](const auto& mechanism, auto& state, std::size_t k) {
                         if constexpr (ReactsToChurn<std::remove_cvref_t<decltype(mechanism)>>) {
                             MechanismContext context = context_of(now, k);
                             mechanism.on_churn(state, context, i, reason);
                         }
                     });
}

// The declared mechanisms' draws for customers [first, last), who joined in `month`: a short loop
// per mechanism, whose draws for successive customers overlap.
void ReplicationSimulator::declared_on_join(Month& now, std::size_t first, std::size_t last,
                                            const Arrival& arrival, int month) const {
    for_each_enabled(declared_, now.declared,
                     [&](const auto& mechanism, auto& state, std::size_t k) {
                         if constexpr (ReactsToJoin<std::remove_cvref_t<decltype(mechanism)>>) {
                             MechanismContext context = context_of(now, k, month);
                             for (std::size_t i = first; i < last; ++i)
                                 mechanism.on_join(state, context, i, arrival);
                         }
                     });
}

int ReplicationSimulator::declared_lapse_months(ChurnReason reason) const {
    int longest = 0;
    for_each_enabled(declared_, [&](const auto& mechanism, std::size_t) {
        if constexpr (KeepsLapsed<std::remove_cvref_t<decltype(mechanism)>>)
            longest = std::max(longest, mechanism.lapse_months(reason));
    });
    return longest;
}

bool ReplicationSimulator::declared_cures(Month& now, std::size_t i, ChurnReason reason) const {
    bool cured = false;
    for_each_enabled(declared_, now.declared, [&](const auto& mechanism, auto&, std::size_t k) {
        if constexpr (Cures<std::remove_cvref_t<decltype(mechanism)>>) {
            const MechanismContext context = context_of(now, k);
            cured = cured || mechanism.cures(context, i, reason);
        }
    });
    return cured;
}

void ReplicationSimulator::declared_on_return(Month& now, std::size_t i) const {
    for_each_enabled(declared_, now.declared,
                     [&](const auto& mechanism, auto& state, std::size_t k) {
                         if constexpr (ReactsToReturn<std::remove_cvref_t<decltype(mechanism)>>) {
                             MechanismContext context = context_of(now, k);
                             mechanism.on_return(state, context, i);
                         }
                     });
}

double ReplicationSimulator::declared_save_probability(Month& now, std::size_t i) const {
    double best = 0.0;
    for_each_enabled(declared_, now.declared, [&](const auto& mechanism, auto&, std::size_t k) {
        if constexpr (OffersSaves<std::remove_cvref_t<decltype(mechanism)>>) {
            const MechanismContext context = context_of(now, k);
            best = std::max(best, mechanism.save_probability(context, i));
        }
    });
    return best;
}

void ReplicationSimulator::declared_on_save_attempt(Month& now, std::size_t i, bool saved) const {
    for_each_enabled(
        declared_, now.declared, [&](const auto& mechanism, auto& state, std::size_t k) {
            if constexpr (CountsSaveAttempts<std::remove_cvref_t<decltype(mechanism)>>) {
                MechanismContext context = context_of(now, k);
                if (mechanism.save_probability(context, i) > 0.0)
                    mechanism.on_save_attempt(state, context, i, saved);
            }
        });
}

std::int64_t ReplicationSimulator::declared_new_logos(Month& now, std::size_t segment) const {
    std::int64_t logos = 0;
    for_each_enabled(declared_, now.declared,
                     [&](const auto& mechanism, auto& state, std::size_t k) {
                         if constexpr (BringsLogos<std::remove_cvref_t<decltype(mechanism)>>) {
                             MechanismContext context = context_of(now, k);
                             logos += mechanism.new_logos(state, context, segment);
                         }
                     });
    return logos;
}

}  // namespace cohortsim
