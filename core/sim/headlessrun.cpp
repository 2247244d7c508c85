#include "sim/headlessrun.h"

#include "lab/lab.h"

#include "util/money.h"
#include "util/monotonicclock.h"
#include "util/whenready.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace cqrs {

namespace {
// Bounded backlog: past this many unanswered commands the generator waits,
// so a rate the machine cannot sustain shows up as a lower rate, not as
// unbounded memory.
constexpr qint64 maxInFlight = 20'000;

QString grouped(qint64 value) { return formatCount(value); }

QJsonObject percentiles(const LatencyHistogram& h)
{
    return QJsonObject{{QStringLiteral("p50"), h.quantileMs(0.50)}, {QStringLiteral("p95"), h.quantileMs(0.95)},
                       {QStringLiteral("p99"), h.quantileMs(0.99)}, {QStringLiteral("max"), h.maxMs()},
                       {QStringLiteral("count"), h.count()}};
}

QString msTriple(const QJsonObject& p)
{
    return QStringLiteral("%1 / %2 / %3 ms")
        .arg(p.value(QStringLiteral("p50")).toDouble(), 0, 'f', 2)
        .arg(p.value(QStringLiteral("p99")).toDouble(), 0, 'f', 2)
        .arg(p.value(QStringLiteral("max")).toDouble(), 0, 'f', 2);
}
} // namespace

QStringList headlessScenarios()
{
    return {QStringLiteral("steady"), QStringLiteral("mixed"), QStringLiteral("contention"),
            QStringLiteral("catch-up"), QStringLiteral("rebuild")};
}

HeadlessRun::HeadlessRun(HeadlessOptions options, QTextStream& out, QTextStream& err, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out)
    , m_err(err)
{
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(2);
    connect(&m_tick, &QTimer::timeout, this, &HeadlessRun::tick);
    m_progress.setInterval(1000);
    connect(&m_progress, &QTimer::timeout, this, &HeadlessRun::printProgress);
    m_watch.setInterval(20);
    connect(&m_watch, &QTimer::timeout, this, &HeadlessRun::watch);
}

HeadlessRun::~HeadlessRun()
{
    if (m_analytics)
        m_analytics->stop();
    if (m_lab)
        m_lab->close();
}

void HeadlessRun::start()
{
    const bool contention = m_options.scenario == QStringLiteral("contention");
    if (!m_options.analyticsPerS)
        m_options.analyticsPerS = contention ? 2.0 : 0.0;
    if (!m_options.preloadOrders)
        m_options.preloadOrders = contention ? 100'000 : 0;
    if (contention && !m_options.mode) {
        for (ArchitectureMode mode : {ArchitectureMode::Crud, ArchitectureMode::Logical, ArchitectureMode::Physical})
            m_phases.append({mode, QDir(m_options.dbDir).filePath(architectureModeName(mode))});
    } else {
        m_phases.append({m_options.mode.value_or(ArchitectureMode::Physical), m_options.dbDir});
    }
    m_out << "CQRS Lab headless run: scenario " << m_options.scenario << ", " << m_options.ratePerS
          << " orders/s for " << m_options.durationS << " s";
    if (*m_options.analyticsPerS > 0)
        m_out << ", " << *m_options.analyticsPerS << " analytics reports/s";
    m_out << ", update " << (m_options.synchronousUpdate ? "sync" : "async") << ", projection delay "
          << m_options.delayMs << " ms, data in " << QDir(m_options.dbDir).absolutePath() << Qt::endl;
    startPhase();
}

void HeadlessRun::startPhase()
{
    ++m_phase;
    const Phase& phase = m_phases.at(m_phase);
    if (!QDir().mkpath(phase.dbDir)) {
        m_err << "Cannot create the data directory " << phase.dbDir << Qt::endl;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(1); }, Qt::QueuedConnection);
        return;
    }
    if (!m_options.acceptedLogPath.isEmpty() && !m_acceptedLog) {
        m_acceptedLog = std::make_unique<QFile>(m_options.acceptedLogPath);
        if (!m_acceptedLog->open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
            m_err << "Cannot write the accepted log " << m_options.acceptedLogPath << ": "
                  << m_acceptedLog->errorString() << Qt::endl;
            QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(1); }, Qt::QueuedConnection);
            return;
        }
    }
    m_preloadSubmitted = m_preloadAnswered = 0;
    m_submitted = m_answered = m_ordersAccepted = m_ordersRejected = m_otherCommands = m_failed = 0;
    m_answeredAtLastProgress = m_maxWalBytes = 0;
    m_catchUpMs = m_catchUpEvents = m_rebuildMs = m_rebuildEvents = 0;
    m_trafficSeconds = 0;
    m_checkout.reset();
    m_checkoutWindow.reset();
    m_stage = Stage::Opening;

    LabConfig config;
    config.dataDir = phase.dbDir;
    config.architecture = phase.mode;
    config.synchronousUpdate = m_options.synchronousUpdate;
    config.projectorThreads = m_options.projectorThreads;
    m_lab = std::make_unique<Lab>(config);
    m_lab->projections().setDelay({}, m_options.delayMs, 0);
    if (m_phases.size() > 1)
        m_out << Qt::endl << "== mode " << architectureModeName(phase.mode) << " ==" << Qt::endl;
    whenReady(m_lab->open(), this, [this](const StoreInfo& info) { onOpened(info); });
}

void HeadlessRun::onOpened(const StoreInfo& info)
{
    if (!info.ok) {
        m_err << "Cannot open the write store: " << info.error << Qt::endl;
        Q_EMIT finished(1);
        return;
    }
    m_eventsAtStart = info.counters.headPosition;
    whenReady(m_lab->bus().catalog(), this, [this](const CatalogSnapshot& catalog) { onCatalog(catalog); });
}

void HeadlessRun::onCatalog(const CatalogSnapshot& catalog)
{
    OrderMix::Options mixOptions;
    // Orders only, except where the scenario is about a realistic mix.
    mixOptions.ordersOnly = m_options.scenario != QStringLiteral("mixed")
                            && m_options.scenario != QStringLiteral("contention");
    m_mix = std::make_unique<OrderMix>(catalog, m_options.seed, mixOptions);
    if (!catalog.error.isEmpty() || !m_mix->isUsable()) {
        m_err << "The write store has no products or customers to simulate orders with"
              << (catalog.error.isEmpty() ? QString() : QStringLiteral(": ") + catalog.error) << Qt::endl;
        Q_EMIT finished(1);
        return;
    }
    if (*m_options.preloadOrders > 0) {
        m_out << "Preloading " << grouped(*m_options.preloadOrders) << " orders (not measured)..." << Qt::endl;
        m_stage = Stage::Preloading;
        m_clock.start();
        disconnect(&m_tick, nullptr, this, nullptr);
        connect(&m_tick, &QTimer::timeout, this, &HeadlessRun::preloadTick);
        m_tick.start();
        return;
    }
    startTraffic();
}

void HeadlessRun::preloadTick()
{
    // As fast as the write side takes them, with a bounded backlog.
    while (m_preloadSubmitted < *m_options.preloadOrders && m_preloadSubmitted - m_preloadAnswered < 2'000) {
        ++m_preloadSubmitted;
        const Command command = m_mix->next();
        m_lab->bus().submit(command, this, [this, command](const CommandResult& result) {
            ++m_preloadAnswered;
            noteAccepted(command, result);
            m_mix->observe(command, result);
            if (m_preloadAnswered == *m_options.preloadOrders) {
                m_tick.stop();
                m_out << "Preloaded in " << m_clock.elapsed() << " ms; waiting for the views..." << Qt::endl;
                m_stage = Stage::PreloadSettling;
                m_stageClock.start();
                m_watch.start();
            }
        });
    }
}

void HeadlessRun::startTraffic()
{
    disconnect(&m_tick, nullptr, this, nullptr);
    connect(&m_tick, &QTimer::timeout, this, &HeadlessRun::tick);
    m_eventsAtStart = m_lab->bus().headPosition();
    m_lab->projections().recorder().reset(); // measure the traffic, not the preload
    if (m_options.scenario == QStringLiteral("catch-up"))
        m_lab->projections().setPaused({}, true);
    if (*m_options.analyticsPerS > 0) {
        const ArchitectureMode mode = m_phases.at(m_phase).mode;
        m_analytics = std::make_unique<AnalyticsLoad>(m_lab->writeDbPath(), m_lab->projectionStorePath(mode),
                                                      m_options.seed);
        m_analytics->setMode(mode);
        m_analytics->setRate(*m_options.analyticsPerS);
        m_analytics->start();
    }
    m_stage = Stage::Traffic;
    m_clock.start();
    m_tick.start();
    m_progress.start();
    m_watch.start();
}

void HeadlessRun::tick()
{
    const double elapsedS = m_clock.nsecsElapsed() / 1e9;
    if (elapsedS >= m_options.durationS) {
        m_tick.stop();
        m_trafficSeconds = elapsedS;
        m_stage = Stage::Draining;
        afterAnswer();
        return;
    }
    const qint64 target = qint64(elapsedS * m_options.ratePerS);
    while (m_submitted < target && m_submitted - m_answered < maxInFlight) {
        Command command = m_mix->next();
        ++m_submitted;
        m_lab->bus().submit(command, this, [this, command](const CommandResult& result) {
            ++m_answered;
            noteAccepted(command, result);
            m_mix->observe(command, result);
            if (std::holds_alternative<PlaceOrder>(command)) {
                m_checkout.record(result.committedNs - result.submittedNs);
                m_checkoutWindow.record(result.committedNs - result.submittedNs);
                if (result.accepted())
                    ++m_ordersAccepted;
                else
                    ++m_ordersRejected;
            } else {
                ++m_otherCommands;
            }
            if (result.status == CommandResult::Status::Failed)
                ++m_failed;
            afterAnswer();
        });
    }
}

void HeadlessRun::noteAccepted(const Command& command, const CommandResult& result)
{
    if (!m_acceptedLog || !result.accepted())
        return;
    const QByteArray line = metaOf(command).id.toByteArray(QUuid::WithoutBraces) + ' '
                            + QByteArray::number(result.entityId) + ' '
                            + QByteArray::number(result.lastPosition) + '\n';
    if (m_acceptedLog->write(line) != line.size()) {
        m_err << "Cannot write the accepted log " << m_options.acceptedLogPath << ": "
              << m_acceptedLog->errorString() << Qt::endl;
        m_acceptedLog.reset(); // said once; the run goes on
    }
}

void HeadlessRun::afterAnswer()
{
    if (m_stage != Stage::Draining || m_answered < m_submitted)
        return;
    // Throughput counts until the last answer, not until the last submit:
    // a backlog the write side could not keep up with must not inflate it.
    m_trafficSeconds = m_clock.nsecsElapsed() / 1e9;
    // Every command is answered: the write side is done for this phase.
    if (m_analytics)
        m_analytics->stop();
    m_stageClock.start();
    if (m_options.scenario == QStringLiteral("catch-up")) {
        qint64 lowest = m_lab->bus().headPosition();
        for (const ProjectionStatus& s : m_lab->projections().board().statuses())
            lowest = std::min(lowest, s.checkpoint);
        m_catchUpEvents = m_lab->bus().headPosition() - lowest;
        m_lab->projections().setPaused({}, false);
        m_stage = Stage::Resuming;
    } else {
        m_stage = Stage::CatchingUp;
    }
}

bool HeadlessRun::caughtUp(const LagSnapshot&, bool* failed) const
{
    const qint64 head = m_lab->bus().headPosition();
    bool all = true;
    *failed = false;
    for (const ProjectionStatus& s : m_lab->projections().board().statuses()) {
        all = all && s.checkpoint >= head && s.state != ProjectionState::Rebuilding;
        *failed = *failed || s.state == ProjectionState::Failed;
    }
    return all;
}

void HeadlessRun::watch()
{
    if (m_stage == Stage::Opening || m_stage == Stage::Preloading || m_stage == Stage::Traffic
        || m_stage == Stage::Draining || m_stage == Stage::Done)
        return;
    bool failed = false;
    const bool done = caughtUp({}, &failed);
    if (m_stage == Stage::Rebuilding) {
        const bool allStarted = m_rebuildsStarted >= m_lab->projections().projectionNames().size();
        if (!(allStarted && done) && !failed && m_stageClock.elapsed() < qint64(m_options.catchUpTimeoutS) * 1000)
            return;
        m_rebuildMs = std::max<qint64>(1, m_stageClock.elapsed());
        if (!done) {
            m_err << "The rebuild did not finish." << Qt::endl;
            m_watch.stop();
            m_progress.stop();
            finishPhase(m_lab->lag().latest(), false);
            return;
        }
        // Rebuilt: the phase report follows below, as after any catch-up.
        m_stage = Stage::CatchingUp;
    }
    if (done && m_stage == Stage::PreloadSettling) {
        m_out << "Views caught up after " << m_stageClock.elapsed() << " ms; measured traffic starts." << Qt::endl;
        startTraffic();
        return;
    }
    const bool timedOut = m_stageClock.elapsed() > qint64(m_options.catchUpTimeoutS) * 1000;
    if (!done && !failed && !timedOut)
        return;
    if (done && m_stage == Stage::Resuming) {
        m_catchUpMs = m_stageClock.elapsed();
    } else if (done && m_stage == Stage::CatchingUp && m_options.scenario == QStringLiteral("rebuild")
               && m_rebuildMs == 0) {
        // The log is built and projected: now rebuild every view from scratch.
        m_catchUpMs = m_stageClock.elapsed();
        m_rebuildEvents = m_lab->bus().headPosition() * qint64(m_lab->projections().projectionNames().size());
        m_out << "Rebuilding " << m_lab->projections().projectionNames().size() << " views from "
              << grouped(m_lab->bus().headPosition()) << " events..." << Qt::endl;
        m_stage = Stage::Rebuilding;
        m_stageClock.start();
        // Done once every projector has begun its rebuild (it announces that
        // with a reset at checkpoint 0) and all have reached the head again.
        m_rebuildsStarted = 0;
        connect(&m_lab->projections(), &ProjectionEngine::advanced, this, [this](const ProjectionAdvance& a) {
            if (a.reset && a.checkpoint == 0 && m_stage == Stage::Rebuilding)
                ++m_rebuildsStarted;
        });
        m_lab->projections().rebuild({});
        return;
    } else if (done && m_stage == Stage::CatchingUp && m_catchUpMs == 0) {
        m_catchUpMs = m_stageClock.elapsed();
    }
    if (!done)
        m_err << (failed ? "A projection failed; see the summary." : "The projections did not catch up in time.")
              << Qt::endl;
    m_watch.stop();
    m_progress.stop();
    finishPhase(m_lab->lag().latest(), done);
}

void HeadlessRun::printProgress()
{
    const qint64 answered = m_answered - m_answeredAtLastProgress;
    m_answeredAtLastProgress = m_answered;
    m_maxWalBytes = std::max(m_maxWalBytes, walBytes());
    const VisibilityRecorder::Snapshot visibility =
        m_lab->projections().recorder().snapshot({}, monotonicNowNs());
    qint64 lowest = m_lab->bus().headPosition();
    for (const ProjectionStatus& s : m_lab->projections().board().statuses())
        lowest = std::min(lowest, s.checkpoint);
    QString line = QStringLiteral("t=%1s  %2 commands/s  orders %3 ok / %4 rejected  checkout p99 %5 ms  "
                                  "lag p99 %6 ms  behind %7")
                       .arg(m_clock.elapsed() / 1000, 3)
                       .arg(answered, 6)
                       .arg(grouped(m_ordersAccepted), grouped(m_ordersRejected))
                       .arg(m_checkoutWindow.quantileMs(0.99), 0, 'f', 2)
                       .arg(visibility.window.quantileMs(0.99), 0, 'f', 1)
                       .arg(grouped(m_lab->bus().headPosition() - lowest));
    if (m_analytics)
        line += QStringLiteral("  reports %1 (p50 %2 ms)")
                    .arg(m_analytics->stats().reportsRun)
                    .arg(m_analytics->stats().duration.quantileMs(0.5), 0, 'f', 0);
    line += QStringLiteral("  WAL %1 MiB").arg(walBytes() / 1048576.0, 0, 'f', 1);
    m_out << line << Qt::endl;
    m_checkoutWindow.reset();
}

qint64 HeadlessRun::walBytes() const
{
    return m_lab ? QFileInfo(m_lab->writeDbPath() + QStringLiteral("-wal")).size() : 0;
}

QJsonObject HeadlessRun::phaseReport(const LagSnapshot&, bool caughtUp) const
{
    const qint64 head = m_lab->bus().headPosition();
    QJsonArray projections;
    for (const ProjectionStatus& s : m_lab->projections().board().statuses())
        projections.append(QJsonObject{{QStringLiteral("name"), s.name},
                                       {QStringLiteral("checkpoint"), s.checkpoint},
                                       {QStringLiteral("events_behind"), std::max<qint64>(0, head - s.checkpoint)},
                                       {QStringLiteral("state"), projectionStateName(s.state)},
                                       {QStringLiteral("error"), s.error}});
    const LatencyHistogram visibility = m_lab->projections().recorder().snapshot({}, monotonicNowNs()).cumulative;
    const double seconds = std::max(m_trafficSeconds, 1e-9);
    QJsonObject report{{QStringLiteral("mode"), architectureModeName(m_phases.at(m_phase).mode)},
                       {QStringLiteral("write_journal"), journalModeName(m_lab->journal())},
                       {QStringLiteral("commands_submitted"), m_submitted},
                       {QStringLiteral("orders_accepted"), m_ordersAccepted},
                       {QStringLiteral("orders_rejected"), m_ordersRejected},
                       {QStringLiteral("other_commands"), m_otherCommands},
                       {QStringLiteral("commands_failed"), m_failed},
                       {QStringLiteral("events_appended"), head - m_eventsAtStart},
                       {QStringLiteral("head_position"), head},
                       {QStringLiteral("commands_per_s"), m_answered / seconds},
                       {QStringLiteral("traffic_s"), m_trafficSeconds},
                       {QStringLiteral("checkout_ms"), percentiles(m_checkout)},
                       {QStringLiteral("lag_ms"), percentiles(visibility)},
                       {QStringLiteral("caught_up"), caughtUp},
                       {QStringLiteral("catch_up_ms"), m_catchUpMs},
                       {QStringLiteral("wal_max_bytes"), std::max(m_maxWalBytes, walBytes())},
                       {QStringLiteral("projections"), projections}};
    if (m_analytics) {
        const AnalyticsStats stats = m_analytics->stats();
        report.insert(QStringLiteral("analytics_reports"), stats.reportsRun);
        report.insert(QStringLiteral("analytics_reports_failed"), stats.reportsFailed);
        report.insert(QStringLiteral("analytics_report_ms"), percentiles(stats.duration));
    }
    if (m_options.scenario == QStringLiteral("catch-up")) {
        report.insert(QStringLiteral("catch_up_events"), m_catchUpEvents);
        report.insert(QStringLiteral("catch_up_events_per_s"),
                      m_catchUpMs > 0 ? m_catchUpEvents * 1000.0 / m_catchUpMs : 0.0);
    }
    if (m_options.scenario == QStringLiteral("rebuild")) {
        report.insert(QStringLiteral("rebuild_ms"), m_rebuildMs);
        report.insert(QStringLiteral("rebuild_events"), m_rebuildEvents);
        report.insert(QStringLiteral("rebuild_events_per_s"), m_rebuildMs > 0 ? m_rebuildEvents * 1000.0 / m_rebuildMs : 0.0);
    }
    return report;
}

void HeadlessRun::printSummary(const QJsonObject& r) const
{
    const auto row = [this](const QString& label, const QString& value) {
        m_out << "  " << label.leftJustified(26, u' ') << value << Qt::endl;
    };
    const auto count = [&](const char* key) { return grouped(r.value(QLatin1StringView(key)).toInteger()); };
    m_out << Qt::endl << "Summary (" << r.value(QStringLiteral("mode")).toString() << ")" << Qt::endl;
    row(QStringLiteral("commands submitted"), count("commands_submitted"));
    row(QStringLiteral("orders accepted"), count("orders_accepted"));
    row(QStringLiteral("orders rejected"), count("orders_rejected"));
    row(QStringLiteral("other commands"), count("other_commands"));
    row(QStringLiteral("commands failed"), count("commands_failed"));
    row(QStringLiteral("events appended"), count("events_appended"));
    row(QStringLiteral("head position"), count("head_position"));
    row(QStringLiteral("commands per second"),
        QString::number(r.value(QStringLiteral("commands_per_s")).toDouble(), 'f', 0));
    row(QStringLiteral("checkout p50/p99/max"), msTriple(r.value(QStringLiteral("checkout_ms")).toObject()));
    row(QStringLiteral("visibility p50/p99/max"), msTriple(r.value(QStringLiteral("lag_ms")).toObject()));
    if (r.contains(QStringLiteral("analytics_reports")))
        row(QStringLiteral("analytics reports"),
            QStringLiteral("%1, each p50/p99/max %2")
                .arg(count("analytics_reports"), msTriple(r.value(QStringLiteral("analytics_report_ms")).toObject())));
    row(QStringLiteral("write store journal"), r.value(QStringLiteral("write_journal")).toString() == QStringLiteral("rollback")
                                                  ? QStringLiteral("rollback (a report on write.db holds commits back)")
                                                  : QStringLiteral("write-ahead log"));
    row(QStringLiteral("largest WAL"),
        QStringLiteral("%1 MiB").arg(r.value(QStringLiteral("wal_max_bytes")).toDouble() / 1048576.0, 0, 'f', 1));
    if (r.contains(QStringLiteral("catch_up_events")))
        row(QStringLiteral("catch-up"), QStringLiteral("%1 events in %2 ms (%3 events/s)")
                                            .arg(count("catch_up_events"), count("catch_up_ms"))
                                            .arg(r.value(QStringLiteral("catch_up_events_per_s")).toDouble(), 0, 'f', 0));
    if (r.contains(QStringLiteral("rebuild_ms")))
        row(QStringLiteral("rebuild"), QStringLiteral("%1 events in %2 ms (%3 events/s over all views)")
                                           .arg(count("rebuild_events"), count("rebuild_ms"))
                                           .arg(r.value(QStringLiteral("rebuild_events_per_s")).toDouble(), 0, 'f', 0));
    row(QStringLiteral("caught up"), r.value(QStringLiteral("caught_up")).toBool()
                                         ? QStringLiteral("yes, %1 ms after the last answer").arg(count("catch_up_ms"))
                                         : QStringLiteral("NO"));
    for (const QJsonValue& value : r.value(QStringLiteral("projections")).toArray()) {
        const QJsonObject p = value.toObject();
        row(QStringLiteral("  ") + p.value(QStringLiteral("name")).toString(),
            QStringLiteral("checkpoint %1, %2%3")
                .arg(grouped(p.value(QStringLiteral("checkpoint")).toInteger()), p.value(QStringLiteral("state")).toString(),
                     p.value(QStringLiteral("error")).toString().isEmpty()
                         ? QString()
                         : QStringLiteral(": ") + p.value(QStringLiteral("error")).toString()));
    }
}

void HeadlessRun::finishPhase(const LagSnapshot& lag, bool caught)
{
    m_stage = Stage::Done;
    const QJsonObject report = phaseReport(lag, caught);
    printSummary(report);
    m_anyFailure = m_anyFailure || !caught || m_failed > 0;
    m_results.append({architectureModeName(m_phases.at(m_phase).mode), report});
    if (m_analytics)
        m_analytics->stop();
    m_analytics.reset();
    m_lab->close();
    m_lab.reset();
    if (m_phase + 1 < m_phases.size())
        QMetaObject::invokeMethod(this, &HeadlessRun::startPhase, Qt::QueuedConnection);
    else
        finishRun();
}

void HeadlessRun::finishRun()
{
    QJsonObject report{{QStringLiteral("scenario"), m_options.scenario},
                       {QStringLiteral("update"), m_options.synchronousUpdate ? QStringLiteral("sync") : QStringLiteral("async")},
                       {QStringLiteral("delay_ms"), m_options.delayMs},
                       {QStringLiteral("projector_threads"), m_options.projectorThreads},
                       {QStringLiteral("rate_per_s"), m_options.ratePerS},
                       {QStringLiteral("analytics_per_s"), m_options.analyticsPerS.value_or(0)},
                       {QStringLiteral("duration_s"), m_options.durationS},
                       {QStringLiteral("seed"), qint64(m_options.seed)}};
    // The top level describes the last phase (the only one, unless contention
    // ran every mode); every phase is under "modes".
    const QJsonObject last = m_results.last().second;
    for (auto it = last.begin(); it != last.end(); ++it)
        report.insert(it.key(), it.value());
    if (m_results.size() > 1) {
        QJsonObject modes;
        for (const auto& [mode, phase] : std::as_const(m_results))
            modes.insert(mode, phase);
        report.insert(QStringLiteral("modes"), modes);
        const double crud = modes.value(QStringLiteral("crud")).toObject().value(QStringLiteral("checkout_ms")).toObject().value(QStringLiteral("p99")).toDouble();
        const double physical = modes.value(QStringLiteral("physical")).toObject().value(QStringLiteral("checkout_ms")).toObject().value(QStringLiteral("p99")).toDouble();
        if (physical > 0) {
            report.insert(QStringLiteral("checkout_p99_crud_over_physical"), crud / physical);
            m_out << Qt::endl << "Checkout p99: CRUD " << QString::number(crud, 'f', 2) << " ms, CQRS physical "
                  << QString::number(physical, 'f', 2) << " ms (" << QString::number(crud / physical, 'f', 1)
                  << "x)" << Qt::endl;
        }
    }
    bool ok = !m_anyFailure;
    if (!m_options.reportPath.isEmpty()) {
        QSaveFile file(m_options.reportPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(report).toJson(QJsonDocument::Indented)) < 0
            || !file.commit()) {
            m_err << "Cannot write the report " << m_options.reportPath << ": " << file.errorString() << Qt::endl;
            ok = false;
        } else {
            m_out << "Report written to " << m_options.reportPath << Qt::endl;
        }
    }
    Q_EMIT finished(ok ? 0 : 1);
}

} // namespace cqrs
