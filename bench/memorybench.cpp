// 7. Memory: resident set size over a long run of the whole lab at 1,000
// orders/s with the realistic command mix (cancels, price changes, rule
// breakers), plus a dashboard-like reader asking the query service for
// recent orders and customer stats every 100 ms. The warm-up lets SQLite's
// page caches and Qt's allocations settle before the first sample; the
// slope over the second half separates a leak (steady growth) from caches
// filling up (growth that flattens).
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "sim/loadgenerator.h"
#include "util/monotonicclock.h"
#include "util/whenready.h"

#include <QTextStream>
#include <QTimer>

#include <malloc.h>
#include <sqlite3.h>

namespace cqrs::bench {

namespace {
constexpr double ratePerS = 1'000;

/// Where the resident memory is: SQLite's own heap (page caches, schema,
/// statements; Qt's QSQLITE driver uses the same libsqlite3 as this
/// program) and all the bytes malloc has handed out.
struct HeapUse
{
    double sqliteMb = 0;
    double mallocMb = 0;
};

HeapUse heapUse()
{
    return {double(sqlite3_memory_used()) / 1048576.0, double(mallinfo2().uordblks) / 1048576.0};
}
} // namespace

void benchMemory(const BenchOptions& options, ResultTable& table)
{
    const auto dir = makeTempDir(options);
    LabConfig config;
    config.dataDir = dir->path();
    const auto lab = openLab(config);
    LoadGenerator traffic(&lab->bus(), 23, false);
    traffic.start();
    traffic.setRate(ratePerS);

    // Like the dashboard: at most one query per view in flight.
    bool ordersBusy = false;
    bool customersBusy = false;
    QTimer reader;
    QObject::connect(&reader, &QTimer::timeout, &reader, [&] {
        if (!ordersBusy) {
            ordersBusy = true;
            whenReady(lab->queries().recentOrders(200), &reader, [&ordersBusy](const OrderPage&) {
                ordersBusy = false;
            });
        }
        if (!customersBusy) {
            customersBusy = true;
            whenReady(lab->queries().customerStats(), &reader, [&customersBusy](const CustomerStatsResult&) {
                customersBusy = false;
            });
        }
    });
    reader.start(100);

    progress() << "[memory] warm-up " << options.memoryWarmupSeconds << " s" << Qt::endl;
    runEventLoopFor(options.memoryWarmupSeconds);
    const QString wal = lab->writeDbPath() + QStringLiteral("-wal");
    const qint64 walStart = fileSize(wal);
    const qint64 startKb = rssKb();
    const HeapUse heapStart = heapUse();
    const qint64 start = monotonicNowNs();
    QList<double> samplesKb{double(startKb)};
    QList<double> samplesS{0};
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler, [&] {
        samplesKb.append(double(rssKb()));
        samplesS.append(secondsSince(start));
    });
    sampler.start(1000);
    const qint64 ordersBefore = lab->bus().counters().orders;
    progress() << "[memory] measuring " << options.memorySeconds << " s from " << startKb / 1024
               << " MB" << Qt::endl;
    runEventLoopFor(options.memorySeconds);
    sampler.stop();
    const qint64 endKb = rssKb();
    const HeapUse heapEnd = heapUse();
    samplesKb.append(double(endKb));
    samplesS.append(secondsSince(start));
    const qint64 walEnd = fileSize(wal);
    const double seconds = secondsSince(start);
    const double achieved = (lab->bus().counters().orders - ordersBefore) / seconds;
    reader.stop();
    waitUntil([&] { return !ordersBusy && !customersBusy; }, 10);
    traffic.setRate(0);
    traffic.stop();
    lab->close();

    // Least-squares slope over the second half of the samples, in MB/min.
    double slope = 0;
    {
        const qsizetype from = samplesKb.size() / 2;
        const qsizetype n = samplesKb.size() - from;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (qsizetype i = from; i < samplesKb.size(); ++i) {
            sx += samplesS.at(i);
            sy += samplesKb.at(i);
            sxx += samplesS.at(i) * samplesS.at(i);
            sxy += samplesS.at(i) * samplesKb.at(i);
        }
        const double denominator = n * sxx - sx * sx;
        if (n >= 3 && denominator > 0)
            slope = (n * sxy - sx * sy) / denominator * 60.0 / 1024.0;
    }
    double peakKb = 0;
    for (double kb : std::as_const(samplesKb))
        peakKb = std::max(peakKb, kb);
    const double growth = 100.0 * double(endKb - startKb) / double(startKb);

    ResultRow row;
    row.id = QStringLiteral("7");
    row.what = QStringLiteral("RSS over %1 s at 1,000 orders/s offered (%2/s achieved, mixed commands + "
                              "dashboard reads) after %3 s warm-up; peak %4 MB, 2nd-half slope %5 MB/min; "
                              "write.db-wal %6 → %7 MB; SQLite heap %8 → %9 MB, all malloc'd %10 → %11 MB")
                   .arg(qRound(seconds))
                   .arg(qRound(achieved))
                   .arg(options.memoryWarmupSeconds)
                   .arg(peakKb / 1024, 0, 'f', 1)
                   .arg(slope, 0, 'f', 2)
                   .arg(walStart / 1e6, 0, 'f', 1)
                   .arg(walEnd / 1e6, 0, 'f', 1)
                   .arg(heapStart.sqliteMb, 0, 'f', 1)
                   .arg(heapEnd.sqliteMb, 0, 'f', 1)
                   .arg(heapStart.mallocMb, 0, 'f', 1)
                   .arg(heapEnd.mallocMb, 0, 'f', 1);
    row.figure = QStringLiteral("%1 → %2 MB (%3%4%)")
                     .arg(startKb / 1024.0, 0, 'f', 1)
                     .arg(endKb / 1024.0, 0, 'f', 1)
                     .arg(growth >= 0 ? QStringLiteral("+") : QString())
                     .arg(growth, 0, 'f', 1);
    row.target = QStringLiteral("growth < 10 %");
    row.verdict = growth < 10 ? Verdict::Met : Verdict::Missed;
    row.data = {{QStringLiteral("start_kb"), startKb},
                {QStringLiteral("sqlite_heap_start_mb"), heapStart.sqliteMb},
                {QStringLiteral("sqlite_heap_end_mb"), heapEnd.sqliteMb},
                {QStringLiteral("malloc_in_use_start_mb"), heapStart.mallocMb},
                {QStringLiteral("malloc_in_use_end_mb"), heapEnd.mallocMb},
                {QStringLiteral("end_kb"), endKb},
                {QStringLiteral("peak_kb"), peakKb},
                {QStringLiteral("growth_percent"), growth},
                {QStringLiteral("slope_mb_per_min"), slope},
                {QStringLiteral("wal_start_bytes"), walStart},
                {QStringLiteral("wal_end_bytes"), walEnd},
                {QStringLiteral("samples_kb"), jsonArray(samplesKb)}};
    table.add(row);
}

} // namespace cqrs::bench
