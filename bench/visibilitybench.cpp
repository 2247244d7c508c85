// 4. Visibility latency (applied − commit, one monotonic clock) with no
// injected delay while the simulator offers 5,000 orders/s: the lab's own
// VisibilityRecorder, cumulative over all five projections, reset after a
// warm-up so start-up is not in the figure. Baseline in the same run: the
// raw pipeline (rawpipeline.h), a sqlite3 writer at the same pace and a
// sqlite3 reader woken by a condition variable folding into one raw view:
// the floor of commit -> visible on this machine.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "rawpipeline.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "sim/loadgenerator.h"
#include "util/monotonicclock.h"

#include <QTextStream>

namespace cqrs::bench {

namespace {
constexpr double ratePerS = 5'000;
constexpr double warmupS = 3;
} // namespace

void benchVisibility(const BenchOptions& options, ResultTable& table)
{
    const auto templateDir = makeTempDir(options);
    const QString templatePath = templateDir->filePath(QStringLiteral("write.db"));
    const qint64 rawOrders = qint64(ratePerS * (warmupS + options.visibilitySeconds + 2));
    const CatalogSnapshot catalog = prepareStore(templatePath, restockRoundsFor(rawOrders));
    const QList<PlaceOrder> orders = makeOrders(catalog, rawOrders, 37);

    // Cores this process kept busy while measuring: with 2 cores, a figure
    // near 2 means the latencies include waiting for a CPU.
    QList<double> cores, rawCores;
    QList<double> p50, p99, achieved, worstViewP99, worstViewP50, rawP50, rawP99, rawAchieved;
    double max = 0, rawMax = 0;
    QString worstView;
    for (int r = 0; r < options.timedRepeats; ++r) {
        {
            const auto dir = makeTempDir(options);
            RawPipelineConfig config;
            config.writeDbPath = copyStore(templatePath, dir->path());
            config.readDbPath = dir->filePath(QStringLiteral("read.db"));
            config.catalog = catalog;
            config.orders = orders;
            config.ratePerS = ratePerS;
            config.warmupS = warmupS;
            config.seconds = options.visibilitySeconds;
            const RawPipelineResult run = runRawPipeline(config);
            rawP50.append(run.visibility.quantileMs(0.50));
            rawP99.append(run.visibility.quantileMs(0.99));
            rawMax = std::max(rawMax, run.visibility.maxMs());
            rawAchieved.append(run.ordersPerS);
            rawCores.append(run.coresUsed);
            progress() << "[visibility] raw run " << r + 1 << ": " << formatLatencies(run.visibility)
                       << " at " << qRound(run.ordersPerS) << " orders/s" << Qt::endl;
        }
        const auto dir = makeTempDir(options);
        copyStore(templatePath, dir->path());
        LabConfig config;
        config.dataDir = dir->path();
        const auto lab = openLab(config);
        LoadGenerator traffic(&lab->bus(), 13, true);
        traffic.start();
        traffic.setRate(ratePerS);
        runEventLoopFor(warmupS);
        VisibilityRecorder& recorder = lab->projections().recorder();
        recorder.reset();
        const qint64 acceptedBefore = traffic.stats().accepted;
        const qint64 start = monotonicNowNs();
        const qint64 cpuStart = processCpuNs();
        runEventLoopFor(options.visibilitySeconds);
        const qint64 now = monotonicNowNs();
        const LatencyHistogram all = recorder.snapshot({}, now).cumulative;
        const double seconds = secondsSince(start);
        cores.append(double(processCpuNs() - cpuStart) / 1e9 / seconds);
        achieved.append((traffic.stats().accepted - acceptedBefore) / seconds);
        double worst = 0;
        double worstP50 = 0;
        for (const QString& name : lab->projections().projectionNames()) {
            const LatencyHistogram view = recorder.snapshot(name, now).cumulative;
            if (view.quantileMs(0.99) > worst) {
                worst = view.quantileMs(0.99);
                worstP50 = view.quantileMs(0.50);
                worstView = name;
            }
        }
        worstViewP99.append(worst);
        worstViewP50.append(worstP50);
        traffic.setRate(0);
        traffic.stop();
        lab->close();
        p50.append(all.quantileMs(0.50));
        p99.append(all.quantileMs(0.99));
        max = std::max(max, all.maxMs());
        progress() << "[visibility] run " << r + 1 << ": " << formatLatencies(all) << " over "
                   << all.count() << " samples at " << qRound(achieved.last()) << " orders/s"
                   << Qt::endl;
    }
    const QString what =
        QStringLiteral("Visibility latency, no injected delay, 5,000 orders/s offered (%1/s achieved; "
                       "%2 cores busy, raw %3)")
            .arg(qRound(median(achieved)))
            .arg(median(cores), 0, 'f', 2)
            .arg(median(rawCores), 0, 'f', 2);
    ResultRow a;
    a.id = QStringLiteral("4a");
    a.what = what + QStringLiteral(" — p50");
    a.figure = formatMs(median(p50));
    a.baseline = QStringLiteral("%1 (1 raw view, %2/s)").arg(formatMs(median(rawP50))).arg(qRound(median(rawAchieved)));
    a.ratio = median(p50) / median(rawP50);
    a.target = QStringLiteral("p50 < 1 ms");
    a.verdict = median(p50) < 1.0 ? Verdict::Met : Verdict::Missed;
    a.data = {{QStringLiteral("p50_runs_ms"), jsonArray(p50)},
              {QStringLiteral("achieved_runs_per_s"), jsonArray(achieved)},
              {QStringLiteral("cores_busy_runs"), jsonArray(cores)},
              {QStringLiteral("raw_cores_busy_runs"), jsonArray(rawCores)}};
    table.add(a);
    ResultRow b;
    b.id = QStringLiteral("4b");
    b.what = QStringLiteral("  same — p99 (max %1; slowest view %2, p50 %3 / p99 %4)")
                 .arg(formatMs(max), worstView, formatMs(median(worstViewP50)), formatMs(median(worstViewP99)));
    b.figure = formatMs(median(p99));
    b.baseline = QStringLiteral("%1 (max %2)").arg(formatMs(median(rawP99)), formatMs(rawMax));
    b.ratio = median(p99) / median(rawP99);
    b.target = QStringLiteral("p99 < 10 ms");
    b.verdict = median(p99) < 10.0 ? Verdict::Met : Verdict::Missed;
    b.data = {{QStringLiteral("p99_runs_ms"), jsonArray(p99)},
              {QStringLiteral("max_ms"), max},
              {QStringLiteral("raw_p50_runs_ms"), jsonArray(rawP50)},
              {QStringLiteral("raw_p99_runs_ms"), jsonArray(rawP99)},
              {QStringLiteral("raw_max_ms"), rawMax}};
    table.add(b);
}

} // namespace cqrs::bench
