#pragma once

#include "commands/commandbus.h"
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
};

/// Places a stream of demo orders through the command bus without any
/// window, prints progress once a second and a summary at the end, then
/// emits finished(exitCode).
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
    void printSummary();

    HeadlessOptions m_options;
    QTextStream& m_out;
    QTextStream& m_err;
    std::unique_ptr<CommandBus> m_bus;
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
