#pragma once

#include "metrics/lagsnapshot.h"
#include "metrics/latencyhistogram.h"
#include "read/queryresults.h"
#include "sim/analyticsload.h"
#include "sim/ordermix.h"
#include "write/storeinfo.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <optional>

namespace cqrs {

class Lab;

struct HeadlessOptions
{
    double durationS = 10.0;
    double ratePerS = 500.0;
    /// Analytics reports per second (0-20); the contention scenario defaults to 2.
    std::optional<double> analyticsPerS;
    /// Holds write.db (and read.db); main() fills in the per-user default.
    QString dbDir;
    quint32 seed = 1;
    /// steady, mixed, contention, catch-up or rebuild.
    QString scenario = QStringLiteral("steady");
    /// Unset: physical, or for contention every mode in turn.
    std::optional<ArchitectureMode> mode;
    bool synchronousUpdate = false;
    int delayMs = 0;
    /// Threads the projectors share (see ProjectionEngine).
    int projectorThreads = 1;
    /// Write a JSON report here when set.
    QString reportPath;
    /// When set, each accepted command is appended here once its answer came:
    /// "<command id> <entity id> <event position>", one line per write(2), so
    /// a SIGKILL leaves only whole lines of commands the store had committed.
    QString acceptedLogPath;
    /// Orders placed (unmeasured) before the measured traffic starts, so the
    /// stores hold realistic volumes. Unset: 100,000 for contention, else 0.
    std::optional<qint64> preloadOrders;
    /// Give up waiting for the projections after this long.
    int catchUpTimeoutS = 300;
};

QStringList headlessScenarios();

/// Runs a scenario without any window: drives demo traffic through the
/// command bus (and, for contention, a simulated analytics dashboard),
/// prints progress once a second, waits until every projection has caught
/// up, prints a summary, writes the JSON report and emits finished().
///
/// A run is one or more phases, one per architecture mode; each phase has
/// its own Lab on its own store (contention without --mode runs crud,
/// logical and physical in turn, in sub-directories of --db-dir).
class HeadlessRun final : public QObject
{
    Q_OBJECT

public:
    HeadlessRun(HeadlessOptions options, QTextStream& out, QTextStream& err,
                QObject* parent = nullptr);
    ~HeadlessRun() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Phase
    {
        ArchitectureMode mode;
        QString dbDir;
    };
    enum class Stage { Opening, Preloading, PreloadSettling, Traffic, Draining, Resuming, CatchingUp, Rebuilding, Done };

    void startPhase();
    void onOpened(const StoreInfo& info);
    void onCatalog(const CatalogSnapshot& catalog);
    void tick();
    void preloadTick();
    void startTraffic();
    void printProgress();
    void afterAnswer();
    /// Appends an accepted command to the accepted log, if there is one.
    void noteAccepted(const Command& command, const CommandResult& result);
    void watch();
    bool caughtUp(const LagSnapshot& lag, bool* failed) const;
    void finishPhase(const LagSnapshot& lag, bool caughtUp);
    QJsonObject phaseReport(const LagSnapshot& lag, bool caughtUp) const;
    void printSummary(const QJsonObject& report) const;
    void finishRun();
    qint64 walBytes() const;

    HeadlessOptions m_options;
    QTextStream& m_out;
    QTextStream& m_err;
    QList<Phase> m_phases;
    qsizetype m_phase = -1;
    QList<QPair<QString, QJsonObject>> m_results;
    bool m_anyFailure = false;

    // The current phase.
    std::unique_ptr<Lab> m_lab;
    std::unique_ptr<QFile> m_acceptedLog;
    std::unique_ptr<AnalyticsLoad> m_analytics;
    std::unique_ptr<OrderMix> m_mix;
    Stage m_stage = Stage::Opening;
    QTimer m_tick;
    QTimer m_progress;
    QTimer m_watch;
    QElapsedTimer m_clock;
    QElapsedTimer m_stageClock;
    qint64 m_preloadSubmitted = 0;
    qint64 m_preloadAnswered = 0;
    qint64 m_submitted = 0;
    qint64 m_answered = 0;
    qint64 m_ordersAccepted = 0;
    qint64 m_ordersRejected = 0;
    qint64 m_otherCommands = 0;
    qint64 m_failed = 0;
    qint64 m_eventsAtStart = 0;
    qint64 m_answeredAtLastProgress = 0;
    qint64 m_maxWalBytes = 0;
    double m_trafficSeconds = 0;
    qint64 m_catchUpMs = 0;
    qint64 m_catchUpEvents = 0;
    qint64 m_rebuildMs = 0;
    qint64 m_rebuildEvents = 0;
    int m_rebuildsStarted = 0;
    LatencyHistogram m_checkout;
    LatencyHistogram m_checkoutWindow;
};

} // namespace cqrs
