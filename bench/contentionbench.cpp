// 5. Contention: checkout latency while an analytics dashboard runs 2 heavy
// reports per second, in CRUD (the reports join and aggregate the write
// tables in write.db) and in CQRS with physical separation (the same
// reports read the precomputed views in read.db). Same store, same traffic,
// same reports; the phases alternate between repeats. The write-ahead log
// of write.db is sampled too: long readers on write.db keep the checkpointer
// from recycling it.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "sim/loadgenerator.h"
#include "sim/ordermix.h"
#include "util/money.h"
#include "util/monotonicclock.h"

#if CQRS_BENCH_HAVE_ANALYTICS
#include "sim/analyticsload.h"
#endif

#include <QTextStream>
#include <QTimer>

#include <deque>

namespace cqrs::bench {

#if CQRS_BENCH_HAVE_ANALYTICS

namespace {

constexpr double checkoutPerS = 1'000;
constexpr double reportsPerS = 2;
constexpr double warmupS = 2;

struct Phase
{
    LatencyHistogram checkout;
    LatencyHistogram reports;
    qint64 reportsFailed = 0;
    QString reportError;
    qint64 walStartBytes = 0;
    qint64 walMaxBytes = 0;
    qint64 walEndBytes = 0;
};

/// Fills the store with `count` orders through the bus (group commit, as
/// fast as it goes) and waits until every view has them.
void populate(Lab& lab, const CatalogSnapshot& catalog, int count)
{
    OrderMix::Options mixOptions;
    mixOptions.ordersOnly = true;
    OrderMix mix(catalog, 99, mixOptions);
    std::deque<std::pair<Command, QFuture<CommandResult>>> pending;
    const auto settle = [&] {
        const CommandResult result = pending.front().second.result();
        mix.observe(pending.front().first, result);
        pending.pop_front();
    };
    for (int i = 0; i < count; ++i) {
        if (pending.size() >= 512)
            settle();
        Command command = mix.next();
        QFuture<CommandResult> future = lab.bus().submit(command);
        pending.emplace_back(std::move(command), std::move(future));
    }
    while (!pending.empty())
        settle();
    const qint64 head = lab.bus().headPosition();
    if (!waitUntil(
            [&lab, head] {
                for (const ProjectionStatus& status : lab.projections().board().statuses())
                    if (status.checkpoint < head)
                        return false;
                return true;
            },
            600, 20))
        throw BenchError(QStringLiteral("The views did not catch up with %1 events").arg(head));
}

Phase runPhase(Lab& lab, ArchitectureMode mode, double seconds)
{
    lab.setArchitecture(mode);
    AnalyticsLoad analytics(lab.writeDbPath(), lab.readDbPath(), 5);
    analytics.setMode(mode);
    LoadGenerator traffic(&lab.bus(), 17, true);
    traffic.start();
    traffic.setRate(checkoutPerS);
    analytics.start();
    analytics.setRate(reportsPerS);
    runEventLoopFor(warmupS);
    traffic.takeWindow();
    analytics.takeWindow();

    Phase phase;
    const QString wal = lab.writeDbPath() + QStringLiteral("-wal");
    phase.walStartBytes = fileSize(wal);
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, &sampler,
                     [&] { phase.walMaxBytes = std::max(phase.walMaxBytes, fileSize(wal)); });
    sampler.start(50);
    runEventLoopFor(seconds);
    sampler.stop();
    phase.checkout = traffic.takeWindow();
    phase.reports = analytics.takeWindow();
    phase.walEndBytes = fileSize(wal);
    const AnalyticsStats stats = analytics.stats();
    phase.reportsFailed = stats.reportsFailed;
    phase.reportError = stats.lastError;
    analytics.setRate(0);
    analytics.stop();
    traffic.setRate(0);
    traffic.stop();
    return phase;
}

QString mb(double bytes) { return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 1); }

} // namespace

void benchContention(const BenchOptions& options, ResultTable& table)
{
    const auto dir = makeTempDir(options);
    const auto templateDir = makeTempDir(options);
    const QString templatePath = templateDir->filePath(QStringLiteral("write.db"));
    // Enough stock for the fill and every phase (~2.6 units an order).
    const int rounds = 2 + int(qint64(options.contentionOrders) * 3 / 200'000);
    const CatalogSnapshot catalog = prepareStore(templatePath, rounds);
    copyStore(templatePath, dir->path());

    LabConfig config;
    config.dataDir = dir->path();
    const auto lab = openLab(config);
    progress() << "[contention] filling the store with " << options.contentionOrders << " orders"
               << Qt::endl;
    populate(*lab, catalog, options.contentionOrders);

    QList<double> crudP50, crudP99, cqrsP50, cqrsP99, crudReportP50, cqrsReportP50;
    QList<double> crudWalMax, cqrsWalMax;
    double crudWal = 0, cqrsWal = 0, crudMax = 0, cqrsMax = 0;
    QString failures;
    for (int r = 0; r < options.timedRepeats; ++r) {
        for (int step = 0; step < 2; ++step) {
            // Alternate which mode goes first: the store grows as we go.
            const bool crud = (step == 0) == (r % 2 == 0);
            const Phase phase = runPhase(*lab, crud ? ArchitectureMode::Crud : ArchitectureMode::Physical,
                                         options.contentionSeconds);
            if (phase.reportsFailed > 0)
                failures = QStringLiteral("%1 reports failed: %2").arg(phase.reportsFailed).arg(phase.reportError);
            (crud ? crudP50 : cqrsP50).append(phase.checkout.quantileMs(0.50));
            (crud ? crudP99 : cqrsP99).append(phase.checkout.quantileMs(0.99));
            (crud ? crudReportP50 : cqrsReportP50).append(phase.reports.quantileMs(0.50));
            (crud ? crudWalMax : cqrsWalMax).append(double(phase.walMaxBytes));
            double& wal = crud ? crudWal : cqrsWal;
            wal = std::max(wal, double(phase.walMaxBytes));
            double& max = crud ? crudMax : cqrsMax;
            max = std::max(max, phase.checkout.maxMs());
            progress() << "[contention] " << (crud ? "CRUD" : "CQRS physical") << ": checkout "
                       << formatLatencies(phase.checkout) << "; " << phase.reports.count()
                       << " reports, p50 " << formatMs(phase.reports.quantileMs(0.5)) << "; WAL "
                       << mb(double(phase.walStartBytes)) << " -> " << mb(double(phase.walMaxBytes))
                       << Qt::endl;
        }
    }
    lab->close();
    if (!failures.isEmpty())
        throw BenchError(failures);

    const QString conditions =
        QStringLiteral("1,000 orders/s + 2 analytics reports/s, %1 orders in store")
            .arg(formatCount(options.contentionOrders));
    ResultRow crudRow;
    crudRow.id = QStringLiteral("5a");
    crudRow.what = QStringLiteral("Checkout latency, CRUD (reports join write.db; report p50 %1), %2")
                       .arg(formatMs(median(crudReportP50)), conditions);
    crudRow.figure = QStringLiteral("p50 %1 / p99 %2 / max %3")
                         .arg(formatMs(median(crudP50)), formatMs(median(crudP99)), formatMs(crudMax));
    crudRow.verdict = Verdict::Info;
    crudRow.data = {{QStringLiteral("p99_runs_ms"), jsonArray(crudP99)},
                    {QStringLiteral("report_p50_runs_ms"), jsonArray(crudReportP50)},
                    {QStringLiteral("wal_max_bytes"), crudWal}};
    table.add(crudRow);

    ResultRow cqrsRow;
    cqrsRow.id = QStringLiteral("5b");
    cqrsRow.what = QStringLiteral("Checkout latency, CQRS physical (reports read read.db; report p50 %1), same load; ratio = p99 CQRS / CRUD")
                       .arg(formatMs(median(cqrsReportP50)));
    cqrsRow.figure = QStringLiteral("p50 %1 / p99 %2 / max %3")
                         .arg(formatMs(median(cqrsP50)), formatMs(median(cqrsP99)), formatMs(cqrsMax));
    cqrsRow.ratio = median(cqrsP99) / median(crudP99);
    cqrsRow.verdict = Verdict::Info;
    cqrsRow.data = {{QStringLiteral("p99_runs_ms"), jsonArray(cqrsP99)},
                    {QStringLiteral("report_p50_runs_ms"), jsonArray(cqrsReportP50)},
                    {QStringLiteral("wal_max_bytes"), cqrsWal}};
    table.add(cqrsRow);

    ResultRow walRow;
    walRow.id = QStringLiteral("5c");
    walRow.what = QStringLiteral("write.db-wal largest size during a %1 s phase (median), CRUD vs CQRS "
                                 "physical (sampled every 50 ms); largest of all runs %2 vs %3")
                      .arg(options.contentionSeconds)
                      .arg(mb(crudWal), mb(cqrsWal));
    walRow.figure = mb(median(crudWalMax)) + QStringLiteral(" vs ") + mb(median(cqrsWalMax));
    walRow.data = {{QStringLiteral("crud_max_runs_bytes"), jsonArray(crudWalMax)},
                   {QStringLiteral("cqrs_max_runs_bytes"), jsonArray(cqrsWalMax)}};
    table.add(walRow);
}

#else

void benchContention(const BenchOptions&, ResultTable& table)
{
    ResultRow row;
    row.id = QStringLiteral("5");
    row.what = QStringLiteral("Contention, CRUD vs CQRS physical checkout p99 with 2 analytics reports/s; WAL size "
                              "(needs core/sim/analyticsload.*, not in this build)");
    row.figure = QStringLiteral("—");
    row.verdict = Verdict::NotMeasured;
    table.add(row);
}

#endif

} // namespace cqrs::bench
