// 6. GUI thread stalls: the real window (ui::MainWindow, offscreen unless
// the caller chose a platform) with the simulator at 5,000 orders/s feeding
// the dashboard. A 1 ms heartbeat timer on the GUI thread measures the gap
// between its own firings: any gap well above 1 ms is time the event loop
// spent on something else (painting, models, continuations). Baseline in
// the same run: the same heartbeat with the same lab and traffic but no
// window, i.e. the stalls the machine (other threads, other processes)
// causes on its own.
#include "benchsupport.h"
#include "measurements.h"
#include "rawdatabase.h"
#include "resulttable.h"

#include "lab/lab.h"
#include "lab/locallabsession.h"
#include "sim/loadgenerator.h"
#include "ui/controlspanel.h"
#include "ui/dashboard.h"
#include "ui/flowdiagram.h"
#include "ui/mainwindow.h"
#include "util/monotonicclock.h"

#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <ctime>

namespace cqrs::bench {

namespace {

constexpr int ratePerS = 5'000;
constexpr double warmupS = 2;

/// Gaps between the firings of a 1 ms timer on this thread, and how much
/// of each gap this thread spent on a CPU: a gap it was busy for is work
/// done on the GUI thread; the rest of a gap is waiting for a core (other
/// threads or processes ran), which the window cannot help.
struct Beats {
    LatencyHistogram gaps;
    double maxGapMs = 0;
    double maxGapBusyMs = 0; ///< GUI-thread CPU time inside the longest gap
    double maxBusyMs = 0;    ///< the longest gap counted in GUI-thread CPU time
};

qint64 threadCpuNs() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

Beats heartbeat(double seconds) {
    Beats beats;
    QElapsedTimer clock;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    qint64 last = 0;
    qint64 lastCpu = 0;
    QObject::connect(&timer, &QTimer::timeout, &timer, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        const double gapMs = (now - last) / 1e6;
        const double busyMs = (cpu - lastCpu) / 1e6;
        beats.gaps.record(now - last);
        if (gapMs > beats.maxGapMs) {
            beats.maxGapMs = gapMs;
            beats.maxGapBusyMs = busyMs;
        }
        beats.maxBusyMs = std::max(beats.maxBusyMs, busyMs);
        last = now;
        lastCpu = cpu;
    });
    clock.start();
    lastCpu = threadCpuNs();
    timer.start(1);
    runEventLoopFor(seconds);
    return beats;
}

} // namespace

void benchGuiStall(const BenchOptions& options, ResultTable& table) {
    QList<double> maxGap, p99Gap, achieved, baseMax, baseP99, maxGapBusy, maxBusy;
    for (int r = 0; r < options.timedRepeats; ++r) {
        {
            const auto dir = makeTempDir(options);
            LabConfig config;
            config.dataDir = dir->path();
            const auto lab = openLab(config);
            LoadGenerator traffic(&lab->bus(), 7, false);
            traffic.start();
            traffic.setRate(ratePerS);
            runEventLoopFor(warmupS);
            const LatencyHistogram gaps = heartbeat(options.guiSeconds).gaps;
            traffic.setRate(0);
            traffic.stop();
            lab->close();
            baseMax.append(gaps.maxMs());
            baseP99.append(gaps.quantileMs(0.99));
            progress() << "[gui] baseline (lab, no window) run " << r + 1 << ": gap p99 "
                       << formatMs(baseP99.last()) << ", max " << formatMs(baseMax.last())
                       << Qt::endl;
        }
        const auto dir = makeTempDir(options);
        auto window = std::make_unique<ui::MainWindow>(dir->path(), LocalLabSession::factory());
        window->show();
        if (!waitUntil([&window] { return window->isReady(); }, 60))
            throw BenchError(QStringLiteral("The window's lab did not open"));
        // Issue 14: the flow diagram is drawn (and animated) while measuring.
        if (!window->diagram()->isVisible())
            throw BenchError(QStringLiteral("The flow diagram is not shown"));
        window->controls()->setTrafficRate(ratePerS);
        runEventLoopFor(warmupS);

        const auto orders = [&window] {
            return window->dashboard()->lastSnapshot().write.orders;
        };
        const qint64 ordersBefore = orders();
        const qint64 start = monotonicNowNs();
        const Beats beats = heartbeat(options.guiSeconds);
        const LatencyHistogram& gaps = beats.gaps;
        const double seconds = secondsSince(start);
        maxGapBusy.append(beats.maxGapBusyMs);
        maxBusy.append(beats.maxBusyMs);
        achieved.append((orders() - ordersBefore) / seconds);
        window->controls()->setTrafficRate(0);
        window->close(); // hides it; the lab's threads are joined off the GUI thread
        if (!waitUntil([&window] { return window->isShutDown(); }, 60))
            throw BenchError(QStringLiteral("The window's lab did not shut down"));
        window.reset();
        maxGap.append(gaps.maxMs());
        p99Gap.append(gaps.quantileMs(0.99));
        progress() << "[gui] run " << r + 1 << ": heartbeat gap p50 "
                   << formatMs(gaps.quantileMs(0.5)) << ", p99 " << formatMs(p99Gap.last())
                   << ", max " << formatMs(maxGap.last()) << " (GUI thread busy "
                   << formatMs(maxGapBusy.last()) << " of it; longest busy gap "
                   << formatMs(maxBusy.last()) << ") over " << gaps.count() << " beats; "
                   << qRound(achieved.last()) << " orders/s" << Qt::endl;
    }
    ResultRow row;
    row.id = QStringLiteral("6");
    row.what =
        QStringLiteral(
            "GUI event loop, longest gap of a 1 ms heartbeat, MainWindow (offscreen, flow diagram "
            "shown), "
            "5,000 orders/s offered (%1/s achieved), %2 s; p99 gap %3; GUI thread on a CPU for %4 "
            "of the longest gap, longest busy stretch %5")
            .arg(qRound(median(achieved)))
            .arg(options.guiSeconds)
            .arg(formatMs(median(p99Gap)), formatMs(median(maxGapBusy)), formatMs(median(maxBusy)));
    row.figure = QStringLiteral("max %1").arg(formatMs(median(maxGap)));
    row.baseline = QStringLiteral("max %1, p99 %2 (same lab, no window)")
                       .arg(formatMs(median(baseMax)), formatMs(median(baseP99)));
    row.ratio = median(maxGap) / median(baseMax);
    row.target = QStringLiteral("max < 16 ms");
    row.verdict = median(maxGap) < 16.0 ? Verdict::Met : Verdict::Missed;
    row.data = {{QStringLiteral("max_gap_runs_ms"), jsonArray(maxGap)},
                {QStringLiteral("p99_gap_runs_ms"), jsonArray(p99Gap)},
                {QStringLiteral("achieved_runs_per_s"), jsonArray(achieved)},
                {QStringLiteral("max_gap_busy_runs_ms"), jsonArray(maxGapBusy)},
                {QStringLiteral("max_busy_runs_ms"), jsonArray(maxBusy)},
                {QStringLiteral("baseline_max_gap_runs_ms"), jsonArray(baseMax)},
                {QStringLiteral("baseline_p99_gap_runs_ms"), jsonArray(baseP99)}};
    table.add(row);
}

} // namespace cqrs::bench
