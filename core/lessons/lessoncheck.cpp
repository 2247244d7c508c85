#include "lessons/lessoncheck.h"

#include <QLocale>

namespace cqrs {

namespace {
/// A pause between two observations longer than this (a restart) is not
/// counted as measured time.
constexpr double longestStepMs = 2'000;
/// How long a comparison waits after a change before it measures.
constexpr double settleMs = 2'000;
/// Commands queued beyond this are a backlog (a fill, a reopened store).
constexpr qint64 backlogCommands = 200;

QString grouped(qint64 n) {
    return QLocale(QLocale::English).toString(n);
}

QString rateText(double perSecond) {
    return QString::number(perSecond, 'f', 0);
}

/// The two phases a comparison check measures, and what moves from one to the other.
struct PhaseWords {
    QString first;
    QString second;
    QString action;
};

PhaseWords wordsFor(LessonCheckKind kind) {
    switch (kind) {
    case LessonCheckKind::CheckoutSlowsUnderReports:
        return {QStringLiteral("CRUD without reports"), QStringLiteral("CRUD with reports"),
                QStringLiteral("start the analytics reports")};
    case LessonCheckKind::CheckoutRecoversWhenSplit:
        return {QStringLiteral("CRUD with reports"), QStringLiteral("CQRS with reports"),
                QStringLiteral("switch the architecture to a CQRS mode, reports still running")};
    case LessonCheckKind::SynchronousUpdateCost:
        return {QStringLiteral("asynchronous update"), QStringLiteral("synchronous update"),
                QStringLiteral("switch the read-model update to synchronous")};
    case LessonCheckKind::OrderPendingThenVisible:
    case LessonCheckKind::OwnOrderReadYourWrites:
        break;
    }
    return {};
}
} // namespace

LessonCheck::LessonCheck(const Lesson& lesson)
    : m_lesson(lesson) {}

QString LessonCheck::formatMs(double ms) {
    if (ms < 1)
        return QString::number(ms, 'f', 2);
    if (ms < 100)
        return QString::number(ms, 'f', 1);
    return grouped(qint64(ms + 0.5));
}

int LessonCheck::phaseOf(const LessonObservation& o) const {
    if (o.filling || o.ordersInStore < m_lesson.setup.ordersAtLeast)
        return -1;
    const bool crud = o.architecture == ArchitectureMode::Crud;
    switch (m_lesson.check.kind) {
    case LessonCheckKind::CheckoutSlowsUnderReports:
        return !crud ? -1 : o.analyticsRate == 0 ? 0 : 1;
    case LessonCheckKind::CheckoutRecoversWhenSplit:
        return o.analyticsRate == 0 ? -1 : crud ? 0 : 1;
    case LessonCheckKind::SynchronousUpdateCost:
        return crud ? -1 : o.synchronousActive ? 1 : 0;
    case LessonCheckKind::OrderPendingThenVisible:
    case LessonCheckKind::OwnOrderReadYourWrites:
        break;
    }
    return -1;
}

void LessonCheck::observe(const LessonObservation& o) {
    m_ordersInStore = o.ordersInStore;
    m_filling = o.filling;
    m_lastArchitecture = o.architecture;
    m_lastReports = o.analyticsRate;
    const double stepMs = m_lastAtMs < 0 ? 0 : o.atMs - m_lastAtMs;
    m_lastAtMs = o.atMs;
    if (m_seen)
        return;
    const int phase = phaseOf(o);
    m_backlog = o.commandsQueued > backlogCommands;
    const auto state =
        std::tuple{phase, o.architecture, o.synchronousActive, o.analyticsRate, o.filling || m_backlog};
    if (state != m_lastState) {
        m_lastState = state;
        m_stableSinceMs = o.atMs;
    }
    m_settling = phase >= 0 && o.atMs - m_stableSinceMs < settleMs;
    if (phase < 0 || m_settling || m_backlog)
        return;
    if (stepMs <= 0 || stepMs >= longestStepMs)
        return; // the window's span is unknown: its answers give no rate
    Phase& p = m_phases[phase];
    p.checkout.merge(o.checkout);
    p.seconds += stepMs / 1000.0;
    compare();
}

void LessonCheck::compare() {
    const Phase& a = m_phases[0];
    const Phase& b = m_phases[1];
    if (a.checkout.count() < m_lesson.check.samples || b.checkout.count() < m_lesson.check.samples)
        return;
    const double factor = m_lesson.check.factor;
    const QString reports = QString::number(m_lastReports);
    switch (m_lesson.check.kind) {
    case LessonCheckKind::CheckoutSlowsUnderReports:
        if (b.p99Ms() >= factor * a.p99Ms())
            pass({{QStringLiteral("before_p99_ms"), formatMs(a.p99Ms())},
                  {QStringLiteral("after_p99_ms"), formatMs(b.p99Ms())},
                  {QStringLiteral("reports_per_s"), reports},
                  {QStringLiteral("orders_in_store"), grouped(m_ordersInStore)}});
        break;
    case LessonCheckKind::CheckoutRecoversWhenSplit:
        if (a.p99Ms() >= factor * b.p99Ms())
            pass({{QStringLiteral("crud_p99_ms"), formatMs(a.p99Ms())},
                  {QStringLiteral("cqrs_p99_ms"), formatMs(b.p99Ms())},
                  {QStringLiteral("mode"), m_lastArchitecture == ArchitectureMode::Logical
                                               ? QStringLiteral("one file")
                                               : QStringLiteral("two files")},
                  {QStringLiteral("reports_per_s"), reports}});
        break;
    case LessonCheckKind::SynchronousUpdateCost:
        if (b.p99Ms() >= factor * a.p99Ms())
            pass({{QStringLiteral("async_p99_ms"), formatMs(a.p99Ms())},
                  {QStringLiteral("sync_p99_ms"), formatMs(b.p99Ms())},
                  {QStringLiteral("async_rate"), rateText(a.rate())},
                  {QStringLiteral("sync_rate"), rateText(b.rate())}});
        break;
    case LessonCheckKind::OrderPendingThenVisible:
    case LessonCheckKind::OwnOrderReadYourWrites:
        break;
    }
}

void LessonCheck::ownOrderAccepted(qint64 orderId, qint64 position, ConsistencyMode consistency,
                                   double atMs) {
    if (m_seen || position <= 0)
        return;
    m_ownOrders.append({orderId, position, consistency, atMs});
    if (m_ownOrders.size() > 64)
        m_ownOrders.removeFirst();
}

void LessonCheck::ordersShown(qint64 checkpoint, bool readYourWrites, double queryMs, double atMs) {
    if (m_seen)
        return;
    const bool wantsWait = m_lesson.check.kind == LessonCheckKind::OwnOrderReadYourWrites;
    if (!wantsWait && m_lesson.check.kind != LessonCheckKind::OrderPendingThenVisible)
        return;
    for (qsizetype i = 0; i < m_ownOrders.size();) {
        const OwnOrder order = m_ownOrders.at(i);
        if (order.position > checkpoint) {
            ++i;
            continue;
        }
        if (wantsWait && !readYourWrites) {
            ++i; // an answer that did not wait for it: the next one will
            continue;
        }
        m_ownOrders.removeAt(i);
        const bool rightMode = order.consistency == (wantsWait ? ConsistencyMode::ReadYourWrites
                                                               : ConsistencyMode::Eventual);
        const double ms = wantsWait ? queryMs : atMs - order.acceptedAtMs;
        if (!rightMode)
            continue;
        if (ms < m_lesson.check.minMs) {
            m_tooQuickMs = ms;
            continue;
        }
        const QString key = wantsWait ? QStringLiteral("wait_ms") : QStringLiteral("pending_ms");
        pass({{QStringLiteral("order"), grouped(order.orderId)},
              {QStringLiteral("position"), grouped(order.position)},
              {key, formatMs(ms)}});
        return;
    }
}

void LessonCheck::pass(QList<QPair<QString, QString>> figures) {
    m_seen = true;
    m_figures = std::move(figures);
    m_message = fillLessonText(m_lesson.seenText, m_figures);
}

QString LessonCheck::progress() const {
    if (m_seen)
        return m_message;
    const LessonCheckSpec& spec = m_lesson.check;
    if (m_filling || m_ordersInStore < m_lesson.setup.ordersAtLeast)
        return QStringLiteral("Filling the store for this lesson: %1 of %2 orders.")
            .arg(grouped(m_ordersInStore), grouped(m_lesson.setup.ordersAtLeast));
    if (spec.kind == LessonCheckKind::OrderPendingThenVisible ||
        spec.kind == LessonCheckKind::OwnOrderReadYourWrites) {
        const QString what = spec.kind == LessonCheckKind::OrderPendingThenVisible
                                 ? QStringLiteral("stayed pending")
                                 : QStringLiteral("waited for its view");
        if (m_tooQuickMs >= 0)
            return QStringLiteral("Your last order %1 for %2 ms only; this check needs at least "
                                  "%3 ms. Raise the delay and place another.")
                .arg(what, formatMs(m_tooQuickMs), formatMs(spec.minMs));
        if (!m_ownOrders.isEmpty())
            return QStringLiteral("Order %1 is committed at position %2; waiting for the orders "
                                  "view to show it.")
                .arg(grouped(m_ownOrders.last().orderId), grouped(m_ownOrders.last().position));
        return QStringLiteral("Waiting for an order placed from the checkout form.");
    }
    if (m_backlog)
        return QStringLiteral("Waiting for the write side to work off its queue before measuring.");
    if (m_settling)
        return QStringLiteral("Letting the lab settle for %1 s after the change before measuring.")
            .arg(settleMs / 1000.0);
    const PhaseWords words = wordsFor(spec.kind);
    const Phase& a = m_phases[0];
    const Phase& b = m_phases[1];
    auto measuring = [&](const QString& label, const Phase& p) {
        return QStringLiteral("Measuring checkout, %1: %2 of %3 answers (p99 so far %4 ms).")
            .arg(label, grouped(p.checkout.count()), grouped(spec.samples), formatMs(p.p99Ms()));
    };
    if (a.checkout.count() < spec.samples)
        return measuring(words.first, a);
    if (b.checkout.count() == 0)
        return QStringLiteral("Checkout p99, %1: %2 ms. Now %3.")
            .arg(words.first, formatMs(a.p99Ms()), words.action);
    if (b.checkout.count() < spec.samples)
        return measuring(words.second, b);
    return QStringLiteral("Checkout p99 %1 ms (%2), %3 ms (%4): not %5 times apart yet.")
        .arg(formatMs(a.p99Ms()), words.first, formatMs(b.p99Ms()), words.second,
             QString::number(spec.factor, 'g', 3));
}

} // namespace cqrs
