#include "sim/headlessrun.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include "util/money.h"

namespace cqrs {

namespace {
// Bounded backlog: past this many unanswered commands the generator waits,
// so a rate the machine cannot sustain shows up as a lower rate, not as
// unbounded memory.
constexpr qint64 maxInFlight = 20'000;

QString grouped(qint64 value) { return formatCount(value); }
} // namespace

HeadlessRun::HeadlessRun(HeadlessOptions options, QTextStream& out, QTextStream& err,
                         QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out)
    , m_err(err)
{
    m_tick.setTimerType(Qt::PreciseTimer);
    m_tick.setInterval(2);
    connect(&m_tick, &QTimer::timeout, this, &HeadlessRun::tick);
    m_catchUp.setInterval(50);
    connect(&m_catchUp, &QTimer::timeout, this, &HeadlessRun::waitForCatchUp);
    m_progress.setInterval(1000);
    connect(&m_progress, &QTimer::timeout, this, &HeadlessRun::printProgress);
}

HeadlessRun::~HeadlessRun() = default;

void HeadlessRun::start()
{
    if (!QDir().mkpath(m_options.dbDir)) {
        m_err << "Cannot create the data directory " << m_options.dbDir << Qt::endl;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(1); }, Qt::QueuedConnection);
        return;
    }
    LabConfig config;
    config.dataDir = m_options.dbDir;
    config.architecture = m_options.mode;
    config.synchronousUpdate = m_options.synchronousUpdate;
    m_lab = std::make_unique<Lab>(config);
    m_bus = &m_lab->bus();
    m_lab->projections().setDelay({}, m_options.delayMs, 0);
    m_out << "CQRS Lab headless run: scenario " << m_options.scenario << ", "
          << m_options.ratePerS << " orders/s for " << m_options.durationS << " s, mode "
          << architectureModeName(m_options.mode) << ", update "
          << (m_options.synchronousUpdate ? "sync" : "async") << ", projection delay "
          << m_options.delayMs << " ms, data in " << m_options.dbDir << Qt::endl;
    m_lab->open().then(this, [this](const StoreInfo& info) { onOpened(info); });
}

void HeadlessRun::onOpened(const StoreInfo& info)
{
    if (!info.ok) {
        m_err << "Cannot open the write store: " << info.error << Qt::endl;
        Q_EMIT finished(1);
        return;
    }
    m_eventsAtStart = info.counters.headPosition;
    m_bus->catalog().then(this, [this](const CatalogSnapshot& catalog) { onCatalog(catalog); });
}

void HeadlessRun::onCatalog(const CatalogSnapshot& catalog)
{
    OrderMix::Options mixOptions;
    mixOptions.ordersOnly = m_options.scenario == QStringLiteral("steady");
    m_mix = std::make_unique<OrderMix>(catalog, m_options.seed, mixOptions);
    if (!catalog.error.isEmpty() || !m_mix->isUsable()) {
        m_err << "The write store has no products or customers to simulate orders with"
              << (catalog.error.isEmpty() ? QString() : QStringLiteral(": ") + catalog.error)
              << Qt::endl;
        Q_EMIT finished(1);
        return;
    }
    m_submitting = true;
    m_clock.start();
    m_tick.start();
    m_progress.start();
}

void HeadlessRun::tick()
{
    const double elapsedS = m_clock.nsecsElapsed() / 1e9;
    if (elapsedS >= m_options.durationS) {
        m_tick.stop();
        m_submitting = false;
        m_elapsedAtEndS = elapsedS;
        finishIfDone();
        return;
    }
    const qint64 target = qint64(elapsedS * m_options.ratePerS);
    while (m_submitted < target && m_submitted - m_answered < maxInFlight) {
        Command command = m_mix->next();
        ++m_submitted;
        m_bus->submit(command).then(this, [this, command](const CommandResult& result) {
            ++m_answered;
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
            finishIfDone();
        });
    }
}

void HeadlessRun::printProgress()
{
    const qint64 answered = m_answered - m_answeredAtLastProgress;
    m_answeredAtLastProgress = m_answered;
    const LagSnapshot lag = m_lab->lag().latest();
    m_out << QStringLiteral("t=%1s  %2 commands/s  orders %3 ok / %4 rejected  checkout p99 %5 ms  "
                            "lag p99 %6 ms  behind %7 events")
                 .arg(m_clock.elapsed() / 1000, 3)
                 .arg(answered, 6)
                 .arg(grouped(m_ordersAccepted))
                 .arg(grouped(m_ordersRejected))
                 .arg(m_checkoutWindow.quantileMs(0.99), 0, 'f', 2)
                 .arg(lag.p99Ms, 0, 'f', 1)
                 .arg(grouped(lag.head - [&] {
                     qint64 lowest = lag.head;
                     for (const ProjectionLag& p : lag.projections)
                         lowest = std::min(lowest, p.status.checkpoint);
                     return lowest;
                 }()))
          << Qt::endl;
    m_checkoutWindow.reset();
}

void HeadlessRun::finishIfDone()
{
    if (m_submitting || m_answered < m_submitted || m_catchUp.isActive())
        return;
    m_progress.stop();
    m_catchUpClock.start();
    m_catchUp.start();
}

void HeadlessRun::waitForCatchUp()
{
    // The run ends when every projection has applied the head (or one failed,
    // or the deadline passed): the report describes a settled read side.
    const LagSnapshot lag = m_lab->lag().latest();
    const qint64 head = m_bus->headPosition();
    bool caughtUp = lag.head >= head;
    bool failed = false;
    for (const ProjectionLag& projection : lag.projections) {
        caughtUp = caughtUp && projection.status.checkpoint >= head;
        failed = failed || projection.status.state == ProjectionState::Failed;
    }
    const bool timedOut = m_catchUpClock.elapsed() > qint64(m_options.catchUpTimeoutS) * 1000;
    if (!caughtUp && !failed && !timedOut)
        return;
    m_catchUp.stop();
    if (!caughtUp)
        m_err << (failed ? "A projection failed; see the summary." :
                           "The projections did not catch up in time.") << Qt::endl;
    printSummary(lag, caughtUp);
    const bool reportOk = writeReport(lag, caughtUp);
    const int code = (m_failed > 0 || !caughtUp || !reportOk) ? 1 : 0;
    m_lab->close();
    Q_EMIT finished(code);
}

void HeadlessRun::printSummary(const LagSnapshot& lag, bool caughtUp)
{
    const WriteCounters counters = m_bus->counters();
    const double seconds = std::max(m_elapsedAtEndS, 1e-9);
    const auto row = [this](const QString& label, const QString& value) {
        m_out << "  " << label.leftJustified(24, u' ') << value << Qt::endl;
    };
    m_out << Qt::endl << "Summary" << Qt::endl;
    row(QStringLiteral("commands submitted"), grouped(m_submitted));
    row(QStringLiteral("orders accepted"), grouped(m_ordersAccepted));
    row(QStringLiteral("orders rejected"), grouped(m_ordersRejected));
    row(QStringLiteral("other commands"), grouped(m_otherCommands));
    row(QStringLiteral("commands failed"), grouped(m_failed));
    row(QStringLiteral("events appended"), grouped(counters.headPosition - m_eventsAtStart));
    row(QStringLiteral("head position"), grouped(counters.headPosition));
    row(QStringLiteral("commands per second"), QString::number(m_answered / seconds, 'f', 0));
    row(QStringLiteral("checkout p50/p99/max"),
        QStringLiteral("%1 / %2 / %3 ms")
            .arg(m_checkout.quantileMs(0.5), 0, 'f', 2)
            .arg(m_checkout.quantileMs(0.99), 0, 'f', 2)
            .arg(m_checkout.maxMs(), 0, 'f', 2));
    row(QStringLiteral("orders in write store"), grouped(counters.orders));
    row(QStringLiteral("visibility p50/p99/max"),
        QStringLiteral("%1 / %2 / %3 ms")
            .arg(lag.cumulative.quantileMs(0.5), 0, 'f', 2)
            .arg(lag.cumulative.quantileMs(0.99), 0, 'f', 2)
            .arg(lag.cumulative.maxMs(), 0, 'f', 2));
    row(QStringLiteral("caught up"),
        caughtUp ? QStringLiteral("yes, after %1 ms").arg(m_catchUpClock.elapsed()) : QStringLiteral("NO"));
    for (const ProjectionLag& projection : lag.projections)
        row(QStringLiteral("  ") + projection.status.title,
            QStringLiteral("checkpoint %1, %2%3")
                .arg(grouped(projection.status.checkpoint), projectionStateName(projection.status.state),
                     projection.status.error.isEmpty() ? QString() : QStringLiteral(": ") + projection.status.error));
}

bool HeadlessRun::writeReport(const LagSnapshot& lag, bool caughtUp)
{
    if (m_options.reportPath.isEmpty())
        return true;
    const auto percentiles = [](const LatencyHistogram& h) {
        return QJsonObject{{QStringLiteral("p50"), h.quantileMs(0.50)},
                           {QStringLiteral("p95"), h.quantileMs(0.95)},
                           {QStringLiteral("p99"), h.quantileMs(0.99)},
                           {QStringLiteral("max"), h.maxMs()},
                           {QStringLiteral("count"), h.count()}};
    };
    QJsonArray projections;
    const qint64 head = m_bus->headPosition();
    for (const ProjectionLag& projection : lag.projections)
        projections.append(QJsonObject{
            {QStringLiteral("name"), projection.status.name},
            {QStringLiteral("checkpoint"), projection.status.checkpoint},
            {QStringLiteral("events_behind"), std::max<qint64>(0, head - projection.status.checkpoint)},
            {QStringLiteral("state"), projectionStateName(projection.status.state)},
            {QStringLiteral("error"), projection.status.error}});
    const WriteCounters counters = m_bus->counters();
    const double seconds = std::max(m_elapsedAtEndS, 1e-9);
    const QJsonObject report{
        {QStringLiteral("scenario"), m_options.scenario},
        {QStringLiteral("mode"), architectureModeName(m_options.mode)},
        {QStringLiteral("update"), m_options.synchronousUpdate ? QStringLiteral("sync") : QStringLiteral("async")},
        {QStringLiteral("delay_ms"), m_options.delayMs},
        {QStringLiteral("rate_per_s"), m_options.ratePerS},
        {QStringLiteral("duration_s"), m_elapsedAtEndS},
        {QStringLiteral("seed"), qint64(m_options.seed)},
        {QStringLiteral("commands_submitted"), m_submitted},
        {QStringLiteral("orders_accepted"), m_ordersAccepted},
        {QStringLiteral("orders_rejected"), m_ordersRejected},
        {QStringLiteral("commands_failed"), m_failed},
        {QStringLiteral("events_appended"), counters.headPosition - m_eventsAtStart},
        {QStringLiteral("head_position"), counters.headPosition},
        {QStringLiteral("commands_per_s"), m_answered / seconds},
        {QStringLiteral("checkout_ms"), percentiles(m_checkout)},
        {QStringLiteral("lag_ms"), percentiles(lag.cumulative)},
        {QStringLiteral("caught_up"), caughtUp},
        {QStringLiteral("catch_up_ms"), m_catchUpClock.elapsed()},
        {QStringLiteral("projections"), projections}};
    QSaveFile file(m_options.reportPath);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(report).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        m_err << "Cannot write the report " << m_options.reportPath << ": " << file.errorString()
              << Qt::endl;
        return false;
    }
    m_out << "Report written to " << m_options.reportPath << Qt::endl;
    return true;
}

} // namespace cqrs
