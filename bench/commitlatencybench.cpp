// 2. Command commit latency at 1,000 orders/s: CommandResult committedNs −
// submittedNs of every command the simulator sends, with the whole lab
// running (projectors, lag monitor), as in the app. Baseline in the same
// run: the raw pipeline (rawpipeline.h) writing the same kind of orders at
// the same pace with sqlite3 alone, which shows what the machine itself
// allows. A diagnostic run with the command bus alone shows how much the
// read side's CPU use adds.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "rawpipeline.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "sim/loadgenerator.h"

#include <QTextStream>

namespace cqrs::bench {

namespace {

constexpr double ratePerS = 1'000;
constexpr double warmupS = 2;

struct LatencyRun
{
    LatencyHistogram histogram;
    double achievedPerS = 0;
};

LatencyRun measure(CommandBus& bus, double seconds)
{
    LoadGenerator traffic(&bus, 11, true);
    traffic.start();
    traffic.setRate(ratePerS);
    runEventLoopFor(warmupS);
    traffic.takeWindow(); // drop the warm-up
    runEventLoopFor(seconds);
    LatencyRun run;
    run.histogram = traffic.takeWindow();
    run.achievedPerS = run.histogram.count() / seconds;
    traffic.setRate(0);
    traffic.stop();
    return run;
}

/// Medians over the runs of one configuration.
struct Series
{
    QList<double> p50, p99, achieved;
    double max = 0;

    void add(const LatencyHistogram& histogram, double rate)
    {
        p50.append(histogram.quantileMs(0.50));
        p99.append(histogram.quantileMs(0.99));
        max = std::max(max, histogram.maxMs());
        achieved.append(rate);
    }
    QString text() const
    {
        return QStringLiteral("p50 %1 / p99 %2 / max %3")
            .arg(formatMs(median(p50)), formatMs(median(p99)), formatMs(max));
    }
};

} // namespace

void benchCommitLatency(const BenchOptions& options, ResultTable& table)
{
    const auto templateDir = makeTempDir(options);
    const QString templatePath = templateDir->filePath(QStringLiteral("write.db"));
    const qint64 rawOrders = qint64(ratePerS * (warmupS + options.latencySeconds + 2));
    const CatalogSnapshot catalog = prepareStore(templatePath, restockRoundsFor(rawOrders));
    const QList<PlaceOrder> orders = makeOrders(catalog, rawOrders, 31);

    Series lab, raw, busOnly;
    for (int r = 0; r < options.timedRepeats; ++r) {
        {
            const auto dir = makeTempDir(options);
            RawPipelineConfig config;
            config.writeDbPath = copyStore(templatePath, dir->path());
            config.catalog = catalog;
            config.orders = orders;
            config.ratePerS = ratePerS;
            config.warmupS = warmupS;
            config.seconds = options.latencySeconds;
            const RawPipelineResult run = runRawPipeline(config);
            raw.add(run.commit, run.ordersPerS);
            progress() << "[latency] raw run " << r + 1 << ": " << formatLatencies(run.commit)
                       << Qt::endl;
        }
        {
            const auto dir = makeTempDir(options);
            copyStore(templatePath, dir->path());
            LabConfig config;
            config.dataDir = dir->path();
            const auto opened = openLab(config);
            const LatencyRun run = measure(opened->bus(), options.latencySeconds);
            opened->close();
            lab.add(run.histogram, run.achievedPerS);
            progress() << "[latency] lab run " << r + 1 << ": " << formatLatencies(run.histogram)
                       << " at " << qRound(run.achievedPerS) << "/s" << Qt::endl;
        }
        {
            const auto dir = makeTempDir(options);
            CommandBus bus;
            StoreConfig config;
            config.writeDbPath = copyStore(templatePath, dir->path());
            if (const StoreInfo info = awaitResult(bus.open(config)); !info.ok)
                throw BenchError(info.error);
            const LatencyRun run = measure(bus, options.latencySeconds);
            bus.close();
            busOnly.add(run.histogram, run.achievedPerS);
            progress() << "[latency] bus-only run " << r + 1 << ": "
                       << formatLatencies(run.histogram) << Qt::endl;
        }
    }

    ResultRow row;
    row.id = QStringLiteral("2");
    row.what = QStringLiteral("Commit latency (submit→commit), whole lab, 1,000 orders/s offered "
                              "(%1/s achieved), %2 s; raw: same orders and pacing, one tx per 5 ms tick")
                   .arg(qRound(median(lab.achieved)))
                   .arg(options.latencySeconds);
    row.figure = lab.text();
    row.baseline = raw.text();
    row.ratio = median(lab.p99) / median(raw.p99);
    row.target = QStringLiteral("p99 < 1 ms");
    row.verdict = median(lab.p99) < 1.0 ? Verdict::Met : Verdict::Missed;
    row.data = {{QStringLiteral("p50_ms"), median(lab.p50)},
                {QStringLiteral("p99_ms"), median(lab.p99)},
                {QStringLiteral("max_ms"), lab.max},
                {QStringLiteral("p99_runs_ms"), jsonArray(lab.p99)},
                {QStringLiteral("raw_p99_runs_ms"), jsonArray(raw.p99)},
                {QStringLiteral("raw_p50_ms"), median(raw.p50)},
                {QStringLiteral("raw_max_ms"), raw.max},
                {QStringLiteral("achieved_per_s"), median(lab.achieved)}};
    table.add(row);

    ResultRow diagnostic;
    diagnostic.id = QStringLiteral("2′");
    // Like the raw baseline, and unlike the lab, the bus alone has no
    // background checkpointer: SQLite checkpoints inside whichever commit
    // crosses 1,000 pages, and that commit's fsyncs are its tail.
    diagnostic.what = QStringLiteral("  same, CommandBus alone (no read side, SQLite's checkpoints inside commits as in raw) — diagnostic; ratio vs raw p99");
    diagnostic.figure = busOnly.text();
    diagnostic.ratio = median(busOnly.p99) / median(raw.p99);
    diagnostic.verdict = Verdict::Info;
    diagnostic.data = {{QStringLiteral("p99_runs_ms"), jsonArray(busOnly.p99)}};
    table.add(diagnostic);
}

} // namespace cqrs::bench
