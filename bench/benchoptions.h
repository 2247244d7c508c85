#pragma once

#include <QString>
#include <QStringList>

namespace cqrs::bench {

/// Everything the command line can change. The defaults are the full run;
/// applyQuick() shrinks sizes and durations so the short run is a smoke
/// check of every measurement rather than a different benchmark.
struct BenchOptions
{
    static const QStringList& allMeasurements();

    QStringList selected = allMeasurements();
    bool quick = false;
    /// Repeats of the short measurements (throughput, projector); the table
    /// shows the median.
    int repeats = 5;
    /// Repeats of the timed ones (latency, visibility, contention, GUI).
    int timedRepeats = 3;

    // 1. PlaceOrder throughput
    int ordersOneByOne = 10'000;
    int ordersGrouped = 50'000;
    // 2. commit latency
    double latencySeconds = 30;
    // 3. projector catch-up / rebuild
    int logEvents = 1'000'000;
    /// A catch-up or rebuild stops after this long; the rate is then taken
    /// from the events applied so far (so a slow path cannot stall the run).
    double projectorLimitSeconds = 45;
    // 4. visibility latency
    double visibilitySeconds = 30;
    // 5. contention
    int contentionOrders = 100'000;
    double contentionSeconds = 30;
    // 6. GUI stall
    double guiSeconds = 20;
    // 7. memory
    double memoryWarmupSeconds = 60;
    double memorySeconds = 600;

    /// Parent of the temporary stores (default: the system temp dir).
    QString workDir;
    QString markdownPath;
    QString jsonPath;
    /// Exact command line, for the report.
    QString commandLine;

    void applyQuick();
    bool wants(const QString& measurement) const { return selected.contains(measurement); }
};

struct ParsedOptions
{
    BenchOptions options;
    /// Non-empty: print it and exit with exitCode (help or a usage error).
    QString message;
    int exitCode = 0;
    bool exit = false;
};

ParsedOptions parseOptions(const QStringList& arguments);

} // namespace cqrs::bench
