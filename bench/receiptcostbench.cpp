// 8. What recording receipts costs: the lab with and without its
// ReceiptRecorder (LabConfig::recordReceipts), the simulator offering the
// same orders per second to both, runs interleaved so background noise hits
// both alike. The figure is process CPU per accepted command (all threads:
// command worker, projectors, queries), so it does not depend on how busy
// the rest of the machine is.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "sim/loadgenerator.h"
#include "util/monotonicclock.h"

#include <QTextStream>

#include <algorithm>

namespace cqrs::bench {

namespace {
constexpr double ratePerS = 2'000;
constexpr double warmupS = 2;

struct CostRun {
    double cpuUsPerCommand = 0;
    double achievedPerS = 0;
};

CostRun costRun(const BenchOptions& options, const QString& templatePath, bool recordReceipts) {
    const auto dir = makeTempDir(options);
    copyStore(templatePath, dir->path());
    LabConfig config;
    config.dataDir = dir->path();
    config.recordReceipts = recordReceipts;
    const auto lab = openLab(config);
    LoadGenerator traffic(&lab->bus(), 29, true);
    traffic.start();
    traffic.setRate(ratePerS);
    runEventLoopFor(warmupS);
    const qint64 acceptedBefore = traffic.stats().accepted;
    const qint64 start = monotonicNowNs();
    const qint64 cpuStart = processCpuNs();
    runEventLoopFor(options.visibilitySeconds);
    const qint64 cpu = processCpuNs() - cpuStart;
    const double seconds = secondsSince(start);
    const qint64 accepted = traffic.stats().accepted - acceptedBefore;
    traffic.setRate(0);
    traffic.stop();
    lab->close();
    if (accepted <= 0)
        throw BenchError(QStringLiteral("No command was accepted"));
    return {double(cpu) / 1e3 / double(accepted), double(accepted) / seconds};
}
} // namespace

void benchReceiptCost(const BenchOptions& options, ResultTable& table) {
    const auto templateDir = makeTempDir(options);
    const QString templatePath = templateDir->filePath(QStringLiteral("write.db"));
    const int pairs = std::max(3, options.timedRepeats);
    const qint64 orders = qint64(ratePerS * (warmupS + options.visibilitySeconds + 2)) * pairs * 2;
    prepareStore(templatePath, restockRoundsFor(orders));

    QList<double> with, without, withRate, withoutRate, overheads;
    for (int r = 0; r < pairs; ++r) {
        // Alternate which side goes first: a warming machine favours neither.
        const bool recordFirst = r % 2 == 0;
        CostRun on, off;
        if (recordFirst) {
            on = costRun(options, templatePath, true);
            off = costRun(options, templatePath, false);
        } else {
            off = costRun(options, templatePath, false);
            on = costRun(options, templatePath, true);
        }
        with << on.cpuUsPerCommand;
        without << off.cpuUsPerCommand;
        withRate << on.achievedPerS;
        withoutRate << off.achievedPerS;
        overheads << (on.cpuUsPerCommand / off.cpuUsPerCommand - 1) * 100;
        progress() << "[receipts] pair " << r + 1 << ": "
                   << QString::number(on.cpuUsPerCommand, 'f', 1)
                   << " µs CPU per command recording, "
                   << QString::number(off.cpuUsPerCommand, 'f', 1) << " µs not ("
                   << QString::number(overheads.last(), 'f', 1) << " %)" << Qt::endl;
    }
    const double overhead = median(overheads);
    ResultRow row;
    row.id = QStringLiteral("8");
    row.what =
        QStringLiteral(
            "Receipt recording: process CPU per accepted command with the ReceiptRecorder on, "
            "%1 orders/s offered (%2/s achieved), %3 interleaved pairs of %4 s; "
            "overhead per pair %5 %")
            .arg(qRound(ratePerS))
            .arg(qRound(median(withRate)))
            .arg(pairs)
            .arg(options.visibilitySeconds)
            .arg(spread(overheads, 1));
    row.figure = QStringLiteral("%1 µs (%2%3 %)")
                     .arg(median(with), 0, 'f', 1)
                     .arg(overhead >= 0 ? QStringLiteral("+") : QString())
                     .arg(overhead, 0, 'f', 1);
    row.baseline = QStringLiteral("%1 µs (recorder off, %2/s)")
                       .arg(median(without), 0, 'f', 1)
                       .arg(qRound(median(withoutRate)));
    row.ratio = median(with) / median(without);
    row.target = QStringLiteral("≤ +5 % CPU per command");
    row.verdict = overhead <= 5.0 ? Verdict::Met : Verdict::Missed;
    row.data = {{QStringLiteral("with_cpu_us_runs"), jsonArray(with)},
                {QStringLiteral("without_cpu_us_runs"), jsonArray(without)},
                {QStringLiteral("overhead_percent_runs"), jsonArray(overheads)},
                {QStringLiteral("with_achieved_runs_per_s"), jsonArray(withRate)},
                {QStringLiteral("without_achieved_runs_per_s"), jsonArray(withoutRate)}};
    table.add(row);
}

} // namespace cqrs::bench
