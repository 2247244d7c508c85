// 3. Projector catch-up and rebuild against a raw sqlite3 fold of the same
// log. Lab figures:
//  a) catch-up of Order summary alone (the other four paused), batches of
//     500: like for like with the raw fold (one view, batches of 500, one
//     core's worth of work);
//  b) catch-up of all five views from an empty read store (batches of 500);
//  c) ProjectionEngine::rebuild of all five (the projector's rebuild batch).
// For b) and c) the five projectors share the machine's cores, so the
// comparable number is the total work rate: events applied per second,
// summed over the five views. Each view's own rate is listed too.
//
// a′) and c′) repeat a) and c) while the bench keeps waking the projectors
// (ProjectionEngine::notifyCommitted every 2 ms, as live commits would).
// They are diagnostics: on an idle write side the projector goes to sleep
// between buffers (see docs/benchmarks.md), and the woken runs show how
// fast the fold itself is.
#include "benchsupport.h"
#include "eventloggenerator.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "rawfold.h"
#include "rawstatement.h"
#include "resulttable.h"

#include "projections/projection.h"
#include "projections/projectionengine.h"
#include "util/money.h"
#include "util/monotonicclock.h"

#include <QDir>
#include <QHash>
#include <QJsonObject>
#include <QTextStream>

namespace cqrs::bench {

namespace {

constexpr int rawBatch = 500;
const QString orderSummary = QStringLiteral("order_summary");

qint64 scalar(const QString& path, const char* sql)
{
    RawDatabase db(path);
    RawStatement query(db, sql);
    return query.step() ? query.int64(0) : 0;
}

/// What one catch-up or rebuild achieved.
struct Fold
{
    QHash<QString, double> perView; ///< events/s of each view
    double total = 0;               ///< events applied per second, all views together
    bool complete = true;           ///< every view reached the head within the limit
    qint64 applied = 0;             ///< events applied, all views together
    double cpuUsPerEvent = 0;       ///< process CPU per event applied (all views)
};

/// Polls the board until every projection in `names` has applied `head`,
/// or `limitS` passes. When `rebuild` is set, a projection counts only after
/// it has been seen rebuilding (checkpoint reset below head), so the state
/// from before the rebuild request is not taken for the end of it. `wake`:
/// nudge the engine at every poll, as commits would.
Fold fold(ProjectionEngine& engine, const QStringList& names, qint64 head, qint64 startNs,
          bool rebuild, bool wake, double limitS)
{
    QHash<QString, double> finishS;
    QHash<QString, qint64> done;
    QHash<QString, bool> started;
    QString failure; // thrown after the loop: exceptions must not cross the event loop
    waitUntil(
        [&] {
            if (wake)
                engine.notifyCommitted(head);
            for (const QString& name : names) {
                if (finishS.contains(name))
                    continue;
                const ProjectionStatus status = engine.board().status(name);
                if (status.state == ProjectionState::Failed) {
                    failure = QStringLiteral("%1 failed: %2").arg(name, status.error);
                    return true;
                }
                if (rebuild && !started.value(name)) {
                    started[name] = status.state == ProjectionState::Rebuilding
                                    || status.checkpoint < head;
                    if (!started[name])
                        continue;
                }
                done[name] = status.checkpoint;
                if (status.checkpoint >= head
                    && (!rebuild || status.state != ProjectionState::Rebuilding))
                    finishS.insert(name, secondsSince(startNs));
            }
            return finishS.size() == names.size();
        },
        limitS, 2);
    if (!failure.isEmpty())
        throw BenchError(failure);
    Fold result;
    const double elapsed = secondsSince(startNs);
    double slowest = 0;
    qint64 applied = 0;
    for (const QString& name : names) {
        const bool finished = finishS.contains(name);
        result.complete = result.complete && finished;
        const double seconds = finished ? finishS.value(name) : elapsed;
        slowest = std::max(slowest, seconds);
        applied += done.value(name);
        result.perView.insert(name, done.value(name) / seconds);
    }
    result.total = applied / slowest;
    result.applied = applied;
    return result;
}

/// Catch-up of Order summary alone on a fresh read store.
Fold aloneRun(const QString& writeDb, const QString& readDb, qint64 head, bool wake,
              double limitS, qint64 expectedOrders)
{
    ProjectionEngine engine(writeDb, readDb);
    for (const QString& name : engine.projectionNames())
        if (name != orderSummary)
            engine.setPaused(name, true);
    engine.notifyCommitted(head);
    const qint64 start = monotonicNowNs();
    const qint64 cpuStart = processCpuNs();
    engine.start();
    Fold result = fold(engine, {orderSummary}, head, start, false, wake, limitS);
    result.cpuUsPerEvent = double(processCpuNs() - cpuStart) / 1e3 / double(std::max<qint64>(1, result.applied));
    engine.stop();
    if (result.complete) {
        if (const qint64 rows = scalar(readDb, "SELECT COUNT(*) FROM rv_order_summary");
            rows != expectedOrders)
            throw BenchError(QStringLiteral("order_summary has %1 rows, expected %2")
                                 .arg(rows)
                                 .arg(expectedOrders));
    }
    return result;
}

} // namespace

void benchProjector(const BenchOptions& options, ResultTable& table)
{
    const auto dir = makeTempDir(options);
    const QString writeDb = QDir(dir->path()).filePath(QStringLiteral("write.db"));
    const CatalogSnapshot catalog = prepareStore(writeDb, 0);
    progress() << "[projector] generating a " << options.logEvents << "-event log" << Qt::endl;
    const qint64 genStart = monotonicNowNs();
    const GeneratedLog log = generateEventLog(writeDb, catalog, options.logEvents, 7);
    const qint64 head = log.head;
    progress() << "[projector] log of " << head << " events in " << secondsSince(genStart) << " s"
               << Qt::endl;
    const double limitS = options.projectorLimitSeconds;
    // The slow runs (limited) take the same time at any size: repeat them
    // as often as the timed measurements; the raw fold and the woken run
    // are short and repeated like the throughput ones.
    const int slowRepeats = options.timedRepeats;

    QList<double> rawCpu, wokenCpu;
    QList<double> raw, alone, aloneWoken, catchUpTotal, rebuildTotal, rebuildWokenTotal;
    QHash<QString, QList<double>> catchUpEach, rebuildEach, rebuildWokenEach;
    bool aloneComplete = true, catchUpComplete = true, rebuildComplete = true;
    QStringList names;
    for (const auto& projection : createProjections())
        names.append(projection->name());
    for (int r = 0; r < options.repeats; ++r) {
        // Raw fold into a file of its own, batches of 500.
        {
            const QString path = dir->filePath(QStringLiteral("raw-%1.db").arg(r));
            const qint64 start = monotonicNowNs();
            const qint64 cpuStart = processCpuNs();
            const qint64 folded = rawFoldOrderSummary(writeDb, path, rawBatch);
            raw.append(folded / secondsSince(start));
            rawCpu.append(double(processCpuNs() - cpuStart) / 1e3 / double(folded));
            const qint64 rows = scalar(path, "SELECT COUNT(*) FROM raw_order_summary");
            if (folded != head || rows != log.ordersPlaced)
                throw BenchError(QStringLiteral("raw fold: %1 events, %2 rows; expected %3, %4")
                                     .arg(folded)
                                     .arg(rows)
                                     .arg(head)
                                     .arg(log.ordersPlaced));
        }
        // a′) Order summary alone, kept awake.
        {
            const Fold run = aloneRun(writeDb, dir->filePath(QStringLiteral("woken-%1.db").arg(r)),
                                      head, true, limitS, log.ordersPlaced);
            aloneWoken.append(run.total);
            wokenCpu.append(run.cpuUsPerEvent);
        }
        progress() << "[projector] run " << r + 1 << '/' << options.repeats << ": raw fold "
                   << qRound(raw.last()) << " ev/s, order_summary alone (woken) "
                   << qRound(aloneWoken.last()) << " ev/s" << Qt::endl;
        if (r >= slowRepeats)
            continue;
        // a) Order summary alone, as the lab runs it.
        {
            const Fold run = aloneRun(writeDb, dir->filePath(QStringLiteral("alone-%1.db").arg(r)),
                                      head, false, limitS, log.ordersPlaced);
            alone.append(run.total);
            aloneComplete = aloneComplete && run.complete;
        }
        // b) and c): all five, catch-up from empty, then a rebuild.
        {
            const QString path = dir->filePath(QStringLiteral("all-%1.db").arg(r));
            ProjectionEngine engine(writeDb, path);
            engine.notifyCommitted(head);
            qint64 start = monotonicNowNs();
            engine.start();
            Fold run = fold(engine, names, head, start, false, false, limitS);
            catchUpTotal.append(run.total);
            for (const QString& name : std::as_const(names))
                catchUpEach[name].append(run.perView.value(name));
            catchUpComplete = catchUpComplete && run.complete;
            if (run.complete) {
                // The folded views must hold what the log says.
                const qint64 orders = scalar(path, "SELECT COUNT(*) FROM rv_order_summary");
                const qint64 cancelled =
                    scalar(path, "SELECT SUM(cancelled) FROM rv_customer_stats");
                if (orders != log.ordersPlaced || cancelled != log.ordersCancelled)
                    throw BenchError(QStringLiteral("views: %1 orders, %2 cancelled; log: %3, %4")
                                         .arg(orders)
                                         .arg(cancelled)
                                         .arg(log.ordersPlaced)
                                         .arg(log.ordersCancelled));
            }
            start = monotonicNowNs();
            engine.rebuild({});
            run = fold(engine, names, head, start, true, false, limitS);
            rebuildTotal.append(run.total);
            for (const QString& name : std::as_const(names))
                rebuildEach[name].append(run.perView.value(name));
            rebuildComplete = rebuildComplete && run.complete;

            // c′) the same rebuild, kept awake.
            start = monotonicNowNs();
            engine.rebuild({});
            run = fold(engine, names, head, start, true, true, limitS);
            rebuildWokenTotal.append(run.total);
            for (const QString& name : std::as_const(names))
                rebuildWokenEach[name].append(run.perView.value(name));
            engine.stop();
        }
        progress() << "[projector] run " << r + 1 << ": order_summary alone " << qRound(alone.last())
                   << " ev/s; all five: catch-up " << qRound(catchUpTotal.last()) << ", rebuild "
                   << qRound(rebuildTotal.last()) << ", rebuild woken "
                   << qRound(rebuildWokenTotal.last()) << " ev/s (total)" << Qt::endl;
    }

    const double rawMedian = median(raw);
    const QString rawText =
        formatRate(rawMedian, QStringLiteral("events/s")) + QStringLiteral(" (1 view, ×500)");
    const QString sizes = QStringLiteral("%1 events").arg(formatCount(head));
    const auto partial = [limitS](bool complete) {
        return complete ? QString()
                        : QStringLiteral(" [stopped after %1 s; rate of the events applied by then]")
                              .arg(limitS);
    };
    const auto aloneRow = [&](const QString& id, const QString& what, const QList<double>& runs,
                              bool judged) {
        ResultRow row;
        row.id = id;
        row.what = what;
        row.figure = formatRate(median(runs), QStringLiteral("events/s"));
        row.baseline = rawText;
        row.ratio = median(runs) / rawMedian;
        row.target = judged ? QStringLiteral("≥ 0.5× raw and ≥ 75,000/s") : QString();
        row.verdict = !judged ? Verdict::Info
                              : (*row.ratio >= 0.5 && median(runs) >= 75'000 ? Verdict::Met
                                                                              : Verdict::Missed);
        row.data = {{QStringLiteral("lab_runs"), jsonArray(runs)},
                    {QStringLiteral("raw_runs"), jsonArray(raw)},
                    {QStringLiteral("events"), head}};
        table.add(row);
    };
    aloneRow(QStringLiteral("3a"),
             QStringLiteral("Projector catch-up, Order summary alone, batches of 500, %1%2")
                 .arg(sizes, partial(aloneComplete)),
             alone, true);
    aloneRow(QStringLiteral("3a′"),
             QStringLiteral("  same, projector woken every 2 ms — diagnostic (fold speed without the idle "
                            "wait); CPU per event %1 µs, raw %2 µs")
                 .arg(median(wokenCpu), 0, 'f', 1)
                 .arg(median(rawCpu), 0, 'f', 1),
             aloneWoken, false);

    const auto fiveRows = [&](const QString& id, const QString& what, const QList<double>& totals,
                              const QHash<QString, QList<double>>& each, bool judged, bool perView) {
        ResultRow row;
        row.id = id;
        row.what = what;
        const double total = median(totals);
        row.figure = formatRate(total, QStringLiteral("events/s total"));
        row.baseline = rawText;
        row.ratio = total / rawMedian;
        row.target = judged ? QStringLiteral("≥ 0.5× raw") : QString();
        row.verdict = !judged ? Verdict::Info : (*row.ratio >= 0.5 ? Verdict::Met : Verdict::Missed);
        QJsonObject views;
        for (const QString& name : std::as_const(names))
            views.insert(name, jsonArray(each.value(name)));
        row.data = {{QStringLiteral("total_runs"), jsonArray(totals)},
                    {QStringLiteral("per_view_runs"), views},
                    {QStringLiteral("events"), head}};
        table.add(row);
        if (!perView)
            return;
        for (const QString& name : std::as_const(names)) {
            ResultRow view;
            view.what = QStringLiteral("    %1").arg(name);
            view.figure = formatRate(median(each.value(name)), QStringLiteral("events/s"));
            view.ratio = median(each.value(name)) / rawMedian;
            view.verdict = Verdict::Info;
            table.add(view);
        }
    };
    fiveRows(QStringLiteral("3b"),
             QStringLiteral("Projector catch-up, all five views in parallel from empty, batches of 500, %1%2")
                 .arg(sizes, partial(catchUpComplete)),
             catchUpTotal, catchUpEach, true, false);
    fiveRows(QStringLiteral("3c"),
             QStringLiteral("ProjectionEngine::rebuild, all five views in parallel, %1%2; per view:")
                 .arg(sizes, partial(rebuildComplete)),
             rebuildTotal, rebuildEach, true, true);
    fiveRows(QStringLiteral("3c′"),
             QStringLiteral("  same rebuild, projectors woken every 2 ms — diagnostic; per view:"),
             rebuildWokenTotal, rebuildWokenEach, false, true);
}

} // namespace cqrs::bench
