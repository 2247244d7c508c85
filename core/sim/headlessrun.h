#pragma once

#include "lab/lab.h"
#include "metrics/latencyhistogram.h"
#include "sim/ordermix.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace cqrs {

struct HeadlessOptions
{
    double durationS = 10.0;
    double ratePerS = 500.0;
    /// Holds write.db; required (main() fills in the per-user default).
    QString dbDir;
    quint32 seed = 1;
    QString scenario = QStringLiteral("steady");
    ArchitectureMode mode = ArchitectureMode::Physical;
    bool synchronousUpdate = false;
    int delayMs = 0;
    /// Write a JSON report here when set.
    QString reportPath;
    /// Give up waiting for the projections after this long.
    int catchUpTimeoutS = 120;
};

/// Places a stream of demo orders through the command bus without any
/// window, prints progress once a second, waits until every projection has
/// caught up, prints a summary (and writes a JSON report), then emits
/// finished(exitCode).
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
    void onOpened(const StoreInfo& info);
    void onCatalog(const CatalogSnapshot& catalog);
    void tick();
    void printProgress();
    void finishIfDone();
    void waitForCatchUp();
    void printSummary(const LagSnapshot& lag, bool caughtUp);
    bool writeReport(const LagSnapshot& lag, bool caughtUp);

    HeadlessOptions m_options;
    QTextStream& m_out;
    QTextStream& m_err;
    std::unique_ptr<Lab> m_lab;
    CommandBus* m_bus = nullptr;
    QTimer m_catchUp;
    QElapsedTimer m_catchUpClock;
    std::unique_ptr<OrderMix> m_mix;
    QTimer m_tick;
    QTimer m_progress;
    QElapsedTimer m_clock;
    bool m_submitting = false;
    qint64 m_submitted = 0;
    qint64 m_answered = 0;
    qint64 m_ordersAccepted = 0;
    qint64 m_ordersRejected = 0;
    qint64 m_otherCommands = 0;
    qint64 m_failed = 0;
    qint64 m_eventsAtStart = 0;
    qint64 m_answeredAtLastProgress = 0;
    double m_elapsedAtEndS = 0;
    LatencyHistogram m_checkout;
    LatencyHistogram m_checkoutWindow;
};

} // namespace cqrs
