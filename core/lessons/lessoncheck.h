#pragma once

#include "lessons/lesson.h"
#include "metrics/latencyhistogram.h"

#include <QList>
#include <QPair>
#include <QString>

#include <tuple>

namespace cqrs {

/// What the window measured at one moment (about ten times a second): the
/// figures the dashboard shows, as the lesson's check needs them.
struct LessonObservation {
    double atMs = 0;
    /// As the session runs, not as asked.
    ArchitectureMode architecture = ArchitectureMode::Physical;
    bool synchronousActive = false;
    int analyticsRate = 0;
    /// The store is still being filled for the lesson: checkout is not typical.
    bool filling = false;
    qint64 ordersInStore = 0;
    /// Commands submitted and not answered yet: a deep queue is a backlog
    /// being worked off, not checkout as it runs.
    qint64 commandsQueued = 0;
    /// Simulated checkout latencies answered since the previous observation.
    LatencyHistogram checkout;
};

/// The live check of one lesson. It is fed what the window measures and
/// says whether the learner has seen the lesson's point, quoting the
/// measured figures, or what it is still waiting for. No clock or thread of
/// its own: the caller's times and figures are all it knows.
class LessonCheck final {
public:
    explicit LessonCheck(const Lesson& lesson);

    void observe(const LessonObservation& observation);
    /// An order this window placed was committed at `position`.
    void ownOrderAccepted(qint64 orderId, qint64 position, ConsistencyMode consistency,
                          double atMs);
    /// An answer of the orders view reached the table: the checkpoint it
    /// reflects, whether it waited for this window's write (read-your-
    /// writes) and how long the query took.
    void ordersShown(qint64 checkpoint, bool readYourWrites, double queryMs, double atMs);

    bool seen() const { return m_seen; }
    /// The lesson's seen text with the figures filled in (once seen).
    QString message() const { return m_message; }
    /// What the check waits for now, with the figures so far.
    QString progress() const;
    /// The figures it quoted, by name (once seen).
    const QList<QPair<QString, QString>>& figures() const { return m_figures; }

    static QString formatMs(double ms);

private:
    /// Checkout answers of one phase of a comparison.
    struct Phase {
        LatencyHistogram checkout;
        double seconds = 0;
        double p99Ms() const { return checkout.quantileMs(0.99); }
        double rate() const { return seconds > 0 ? double(checkout.count()) / seconds : 0; }
    };
    /// Which phase `observation` belongs to: 0 the first, 1 the second, -1 neither.
    int phaseOf(const LessonObservation& observation) const;
    void compare();
    void pass(QList<QPair<QString, QString>> figures);

    Lesson m_lesson;
    Phase m_phases[2];
    double m_lastAtMs = -1;
    /// What a comparison measures is the steady state: after any change of
    /// phase, mode, reports, filling or backlog it waits before counting again.
    std::tuple<int, ArchitectureMode, bool, int, bool> m_lastState{-2, {}, false, 0, false};
    double m_stableSinceMs = 0;
    bool m_settling = false;
    bool m_backlog = false;
    ArchitectureMode m_lastArchitecture = ArchitectureMode::Physical;
    int m_lastReports = 0;
    qint64 m_ordersInStore = 0;
    bool m_filling = false;
    struct OwnOrder {
        qint64 orderId = 0;
        qint64 position = 0;
        ConsistencyMode consistency = ConsistencyMode::Eventual;
        double acceptedAtMs = 0;
    };
    QList<OwnOrder> m_ownOrders;
    /// An own order shown too quickly to count, for the progress text.
    double m_tooQuickMs = -1;
    bool m_seen = false;
    QString m_message;
    QList<QPair<QString, QString>> m_figures;
};

} // namespace cqrs
