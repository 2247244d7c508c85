// 1. PlaceOrder throughput: the lab's whole write path (CommandBus ->
// worker thread -> WriteModel: idempotency check, business rules, savepoint,
// state change, event, idempotency row) against raw sqlite3 inserts of the
// same rows, on copies of one prepared store, interleaved run by run so
// background noise hits both sides alike.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "rawwritestore.h"
#include "resulttable.h"

#include "commands/commandbus.h"
#include "util/monotonicclock.h"

#include <QTextStream>

#include <deque>

namespace cqrs::bench {

namespace {

struct RunResult
{
    double perSecond = 0;
    double cpuUsPerOrder = 0;
    qint64 notAccepted = 0;
    QString firstProblem;
};

RunResult rawRun(const BenchOptions& options, const QString& templatePath,
                 const CatalogSnapshot& catalog, const QList<PlaceOrder>& orders, int count,
                 int perTransaction)
{
    const auto dir = makeTempDir(options);
    const QString path = copyStore(templatePath, dir->path());
    RawWriteStore store(path, catalog);
    const qint64 start = monotonicNowNs();
    const qint64 cpuStart = processCpuNs();
    for (int i = 0; i < count; ++i) {
        if (i % perTransaction == 0)
            store.begin();
        store.placeOrder(orders.at(i));
        if ((i + 1) % perTransaction == 0 || i + 1 == count)
            store.commit();
    }
    RunResult result;
    result.perSecond = count / secondsSince(start);
    result.cpuUsPerOrder = double(processCpuNs() - cpuStart) / 1e3 / count;
    return result;
}

RunResult busRun(const BenchOptions& options, const QString& templatePath,
                 const QList<PlaceOrder>& orders, int count, int maxGroupSize, int inFlight)
{
    const auto dir = makeTempDir(options);
    CommandBus bus;
    StoreConfig config;
    config.writeDbPath = copyStore(templatePath, dir->path());
    config.seedDemoData = false;
    config.maxGroupSize = maxGroupSize;
    const StoreInfo info = awaitResult(bus.open(config));
    if (!info.ok)
        throw BenchError(QStringLiteral("CommandBus did not open: %1").arg(info.error));

    RunResult result;
    std::deque<QFuture<CommandResult>> pending;
    const auto settle = [&result, &pending] {
        // Answers come in submission order, so waiting on the oldest is exact.
        const CommandResult answer = pending.front().result();
        pending.pop_front();
        if (!answer.accepted()) {
            if (result.notAccepted++ == 0)
                result.firstProblem = answer.reason;
        }
    };
    const qint64 start = monotonicNowNs();
    const qint64 cpuStart = processCpuNs();
    for (int i = 0; i < count; ++i) {
        if (int(pending.size()) >= inFlight)
            settle();
        pending.push_back(bus.submit(orders.at(i)));
    }
    while (!pending.empty())
        settle();
    result.perSecond = count / secondsSince(start);
    result.cpuUsPerOrder = double(processCpuNs() - cpuStart) / 1e3 / count;
    bus.close();
    return result;
}

} // namespace

void benchPlaceOrder(const BenchOptions& options, ResultTable& table)
{
    const int single = options.ordersOneByOne;
    const int grouped = options.ordersGrouped;
    const int total = std::max(single, grouped);
    progress() << "[placeorder] preparing the store and " << total << " orders" << Qt::endl;

    const auto templateDir = makeTempDir(options);
    const QString templatePath = templateDir->filePath(QStringLiteral("write.db"));
    const CatalogSnapshot catalog = prepareStore(templatePath, restockRoundsFor(total));
    // The simulator's own order mix (1-6 lines, shown prices), built before
    // the clock starts; the raw side writes exactly the same orders.
    const QList<PlaceOrder> orders = makeOrders(catalog, total, 20'240'501);

    QList<double> raw1, bus1, rawBatch, bus64, bus100;
    // CPU µs per order, same order as the rates above.
    QList<double> raw1Cpu, bus1Cpu, rawBatchCpu, bus64Cpu, bus100Cpu;
    qint64 notAccepted = 0;
    QString problem;
    const auto note = [&](const RunResult& run, QList<double>& cpu) {
        notAccepted += run.notAccepted;
        if (problem.isEmpty())
            problem = run.firstProblem;
        cpu.append(run.cpuUsPerOrder);
        return run.perSecond;
    };
    for (int r = 0; r < options.repeats; ++r) {
        raw1.append(note(rawRun(options, templatePath, catalog, orders, single, 1), raw1Cpu));
        bus1.append(note(busRun(options, templatePath, orders, single, 1, 64), bus1Cpu));
        rawBatch.append(
            note(rawRun(options, templatePath, catalog, orders, grouped, 100), rawBatchCpu));
        bus64.append(note(busRun(options, templatePath, orders, grouped, 64, 256), bus64Cpu));
        bus100.append(note(busRun(options, templatePath, orders, grouped, 100, 256), bus100Cpu));
        progress() << "[placeorder] run " << r + 1 << '/' << options.repeats << ": raw "
                   << qRound(raw1.last()) << "/s, bus g1 " << qRound(bus1.last()) << "/s, raw×100 "
                   << qRound(rawBatch.last()) << "/s, bus g64 " << qRound(bus64.last())
                   << "/s, bus g100 " << qRound(bus100.last()) << "/s" << Qt::endl;
    }
    if (notAccepted > 0)
        throw BenchError(QStringLiteral("%1 orders were not accepted (first: %2)")
                             .arg(notAccepted)
                             .arg(problem));

    const auto row = [&](const QString& id, const QString& what, const QList<double>& lab,
                         const QList<double>& raw, double target, const QString& rawLabel,
                         const QList<double>& labCpu, const QList<double>& rawCpu) {
        ResultRow result;
        result.id = id;
        result.what = what;
        const double labMedian = median(lab);
        const double rawMedian = median(raw);
        result.figure = formatRate(labMedian, QStringLiteral("orders/s"));
        result.baseline = formatRate(rawMedian, QStringLiteral("orders/s")) + u' ' + rawLabel;
        // Each lab run is paired with the raw run just before it, so the
        // ratio is taken per pair (same background load) and then the median.
        QList<double> ratios;
        for (qsizetype i = 0; i < std::min(lab.size(), raw.size()); ++i)
            ratios.append(lab.at(i) / raw.at(i));
        result.ratio = median(ratios);
        result.target = QStringLiteral("≥ %1× raw").arg(target, 0, 'f', 2);
        result.verdict = *result.ratio >= target ? Verdict::Met : Verdict::Missed;
        result.data = {{QStringLiteral("lab_per_s"), jsonArray(lab)},
                       {QStringLiteral("raw_per_s"), jsonArray(raw)},
                       {QStringLiteral("ratio_runs"), jsonArray(ratios)},
                       {QStringLiteral("lab_median"), labMedian},
                       {QStringLiteral("raw_median"), rawMedian},
                       {QStringLiteral("lab_cpu_us_per_order"), jsonArray(labCpu)},
                       {QStringLiteral("raw_cpu_us_per_order"), jsonArray(rawCpu)}};
        table.add(result);
        // Load-independent view of the same runs: process CPU per order.
        ResultRow cpu;
        cpu.id = id + QStringLiteral("′");
        cpu.what = QStringLiteral("  same, CPU time per order (all threads) — diagnostic; ratio = raw/lab");
        cpu.figure = QStringLiteral("%1 µs").arg(median(labCpu), 0, 'f', 0);
        cpu.baseline = QStringLiteral("%1 µs").arg(median(rawCpu), 0, 'f', 0);
        cpu.ratio = median(rawCpu) / median(labCpu);
        cpu.verdict = Verdict::Info;
        table.add(cpu);
    };
    row(QStringLiteral("1a"),
        QStringLiteral("PlaceOrder via CommandBus, 1 tx/command (maxGroupSize 1, 64 in flight), %1 orders")
            .arg(single),
        bus1, raw1, 0.75, QStringLiteral("(1 order/tx)"), bus1Cpu, raw1Cpu);
    row(QStringLiteral("1b"),
        QStringLiteral("PlaceOrder via CommandBus, group commit (maxGroupSize 64, 256 in flight), %1 orders")
            .arg(grouped),
        bus64, rawBatch, 0.6, QStringLiteral("(100 orders/tx)"), bus64Cpu, rawBatchCpu);
    row(QStringLiteral("1c"),
        QStringLiteral("PlaceOrder via CommandBus, group commit (maxGroupSize 100, 256 in flight), %1 orders")
            .arg(grouped),
        bus100, rawBatch, 0.6, QStringLiteral("(100 orders/tx)"), bus100Cpu, rawBatchCpu);
}

} // namespace cqrs::bench
