// 5. Contention: checkout latency while an analytics dashboard runs 2 heavy
// reports per second, in CRUD (the reports join and aggregate the write
// tables in write.db, which runs on SQLite's rollback journal) and in CQRS
// with physical separation (the same reports read the precomputed views in
// read.db; write.db runs on a WAL checkpointed in the background). Same
// store, same traffic, same reports; each phase reopens the store in its
// mode (the journal only changes with every connection closed) and the
// phases alternate between repeats. A CRUD phase without reports separates
// the journal's own cost (a disk sync per commit) from the reports' stall.
// The write-ahead log of write.db is sampled in the CQRS phases.
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

bool caughtUp(Lab& lab)
{
    const qint64 head = lab.bus().headPosition();
    for (const ProjectionStatus& status : lab.projections().board().statuses())
        if (status.checkpoint < head)
            return false;
    return true;
}

/// Opens the store in `mode`, runs the traffic (and the reports, when
/// `reportsPerSecond` > 0) for `seconds` after a warm-up, and closes it.
Phase runPhase(const QString& dataDir, ArchitectureMode mode, double reportsPerSecond, double seconds)
{
    LabConfig config;
    config.dataDir = dataDir;
    config.architecture = mode;
    const auto lab = openLab(config);
    if (!waitUntil([&lab] { return caughtUp(*lab); }, 600, 20))
        throw BenchError(QStringLiteral("The views did not catch up after reopening the store"));
    AnalyticsLoad analytics(lab->writeDbPath(), lab->readDbPath(), 5);
    analytics.setMode(mode);
    LoadGenerator traffic(&lab->bus(), 17, true);
    traffic.start();
    traffic.setRate(checkoutPerS);
    analytics.start();
    analytics.setRate(reportsPerSecond);
    runEventLoopFor(warmupS);
    traffic.takeWindow();
    analytics.takeWindow();

    Phase phase;
    const QString wal = lab->writeDbPath() + QStringLiteral("-wal");
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
    lab->close();
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

    {
        LabConfig config;
        config.dataDir = dir->path();
        const auto lab = openLab(config);
        progress() << "[contention] filling the store with " << options.contentionOrders << " orders"
                   << Qt::endl;
        populate(*lab, catalog, options.contentionOrders);
        lab->close();
    }

    QList<double> crudP50, crudP99, cqrsP50, cqrsP99, crudReportP50, cqrsReportP50, cqrsWalMax, cqrsMaxes;
    double cqrsWal = 0, crudMax = 0, cqrsMax = 0;
    QString failures;
    const auto record = [&failures](const Phase& phase) {
        if (phase.reportsFailed > 0)
            failures = QStringLiteral("%1 reports failed: %2").arg(phase.reportsFailed).arg(phase.reportError);
    };
    const auto say = [](const char* name, const Phase& phase) {
        progress() << "[contention] " << name << ": checkout " << formatLatencies(phase.checkout) << "; "
                   << phase.reports.count() << " reports, p50 " << formatMs(phase.reports.quantileMs(0.5))
                   << "; WAL " << mb(double(phase.walStartBytes)) << " -> " << mb(double(phase.walMaxBytes))
                   << Qt::endl;
    };
    // The journal's own cost, without any report.
    const Phase quiet = runPhase(dir->path(), ArchitectureMode::Crud, 0, options.contentionSeconds);
    say("CRUD, no reports", quiet);
    for (int r = 0; r < options.timedRepeats; ++r) {
        for (int step = 0; step < 2; ++step) {
            // Alternate which mode goes first: the store grows as we go.
            const bool crud = (step == 0) == (r % 2 == 0);
            const Phase phase = runPhase(dir->path(), crud ? ArchitectureMode::Crud : ArchitectureMode::Physical,
                                         reportsPerS, options.contentionSeconds);
            record(phase);
            say(crud ? "CRUD" : "CQRS physical", phase);
            (crud ? crudP50 : cqrsP50).append(phase.checkout.quantileMs(0.50));
            (crud ? crudP99 : cqrsP99).append(phase.checkout.quantileMs(0.99));
            (crud ? crudReportP50 : cqrsReportP50).append(phase.reports.quantileMs(0.50));
            double& max = crud ? crudMax : cqrsMax;
            max = std::max(max, phase.checkout.maxMs());
            if (!crud) {
                cqrsMaxes.append(phase.checkout.maxMs());
                cqrsWalMax.append(double(phase.walMaxBytes));
                cqrsWal = std::max(cqrsWal, double(phase.walMaxBytes));
            }
        }
    }
    if (!failures.isEmpty())
        throw BenchError(failures);

    const QString conditions =
        QStringLiteral("1,000 orders/s + 2 analytics reports/s, %1 orders in store, %2 s per phase")
            .arg(formatCount(options.contentionOrders))
            .arg(options.contentionSeconds);
    ResultRow crudRow;
    crudRow.id = QStringLiteral("5a");
    crudRow.what = QStringLiteral("Checkout latency, CRUD (write.db on the rollback journal; reports join "
                                  "write.db, report p50 %1), %2")
                       .arg(formatMs(median(crudReportP50)), conditions);
    crudRow.figure = QStringLiteral("p50 %1 / p99 %2 / max %3")
                         .arg(formatMs(median(crudP50)), formatMs(median(crudP99)), formatMs(crudMax));
    crudRow.verdict = Verdict::Info;
    crudRow.data = {{QStringLiteral("p99_runs_ms"), jsonArray(crudP99)},
                    {QStringLiteral("report_p50_runs_ms"), jsonArray(crudReportP50)}};
    table.add(crudRow);

    ResultRow quietRow;
    quietRow.id = QStringLiteral("5a′");
    quietRow.what = QStringLiteral("  same CRUD store, no reports — diagnostic: the rollback journal's own cost "
                                   "(a disk sync per commit group)");
    quietRow.figure = QStringLiteral("p50 %1 / p99 %2 / max %3")
                          .arg(formatMs(quiet.checkout.quantileMs(0.5)), formatMs(quiet.checkout.quantileMs(0.99)),
                               formatMs(quiet.checkout.maxMs()));
    quietRow.data = {{QStringLiteral("p99_ms"), quiet.checkout.quantileMs(0.99)}};
    table.add(quietRow);

    ResultRow cqrsRow;
    cqrsRow.id = QStringLiteral("5b");
    cqrsRow.what = QStringLiteral("Checkout latency, CQRS physical (write.db on WAL; reports read read.db, "
                                  "report p50 %1), same load; ratio = p99 CRUD / CQRS")
                       .arg(formatMs(median(cqrsReportP50)));
    cqrsRow.figure = QStringLiteral("p50 %1 / p99 %2 / max %3")
                         .arg(formatMs(median(cqrsP50)), formatMs(median(cqrsP99)), formatMs(cqrsMax));
    cqrsRow.ratio = median(crudP99) / median(cqrsP99);
    cqrsRow.target = QStringLiteral("≥ 10×");
    cqrsRow.verdict = *cqrsRow.ratio >= 10 ? Verdict::Met : Verdict::Missed;
    cqrsRow.data = {{QStringLiteral("p99_runs_ms"), jsonArray(cqrsP99)},
                    {QStringLiteral("report_p50_runs_ms"), jsonArray(cqrsReportP50)}};
    table.add(cqrsRow);

    ResultRow stallRow;
    stallRow.id = QStringLiteral("5b′");
    QStringList maxes;
    for (double m : std::as_const(cqrsMaxes))
        maxes << formatMs(m);
    stallRow.what = QStringLiteral("  CQRS physical, longest checkout of all phases (max stall; per phase %1)")
                        .arg(maxes.join(QStringLiteral(", ")));
    stallRow.figure = formatMs(cqrsMax);
    stallRow.target = QStringLiteral("< 20 ms");
    stallRow.verdict = cqrsMax < 20 ? Verdict::Met : Verdict::Missed;
    stallRow.data = {{QStringLiteral("max_ms"), cqrsMax}, {QStringLiteral("max_runs_ms"), jsonArray(cqrsMaxes)}};
    table.add(stallRow);

    ResultRow walRow;
    walRow.id = QStringLiteral("5c");
    walRow.what = QStringLiteral("write.db-wal largest size in the CQRS physical phases (sampled every 50 ms; "
                                 "median of the phases; largest %1). CRUD's rollback journal has no WAL")
                      .arg(mb(cqrsWal));
    walRow.figure = mb(median(cqrsWalMax));
    walRow.target = QStringLiteral("< 64 MiB");
    walRow.verdict = cqrsWal < 64.0 * 1024 * 1024 ? Verdict::Met : Verdict::Missed;
    walRow.data = {{QStringLiteral("cqrs_max_runs_bytes"), jsonArray(cqrsWalMax)}};
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
