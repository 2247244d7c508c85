#include "sim/headlessrun.h"

#include <QDir>
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
    m_bus = std::make_unique<CommandBus>();
    StoreConfig config;
    config.writeDbPath = QDir(m_options.dbDir).filePath(QStringLiteral("write.db"));
    m_out << "CQRS Lab headless run: scenario " << m_options.scenario << ", " << m_options.ratePerS
          << " orders/s for " << m_options.durationS << " s, store " << config.writeDbPath
          << Qt::endl;
    m_bus->open(config).then(this, [this](const StoreInfo& info) { onOpened(info); });
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
    m_out << QStringLiteral("t=%1s  %2 commands/s  orders %3 accepted, %4 rejected  checkout p99 %5 ms  queue %6")
                 .arg(m_clock.elapsed() / 1000, 3)
                 .arg(answered, 6)
                 .arg(grouped(m_ordersAccepted))
                 .arg(grouped(m_ordersRejected))
                 .arg(m_checkoutWindow.quantileMs(0.99), 0, 'f', 2)
                 .arg(m_bus->pendingCommands())
          << Qt::endl;
    m_checkoutWindow.reset();
}

void HeadlessRun::finishIfDone()
{
    if (m_submitting || m_answered < m_submitted)
        return;
    m_progress.stop();
    printSummary();
    const int code = m_failed > 0 ? 1 : 0;
    m_bus->close();
    Q_EMIT finished(code);
}

void HeadlessRun::printSummary()
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
}

} // namespace cqrs
