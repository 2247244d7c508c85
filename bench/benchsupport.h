#pragma once

#include "benchoptions.h"

#include <QFuture>
#include <QJsonArray>
#include <QList>
#include <QString>
#include <QTemporaryDir>

#include <functional>
#include <memory>

class QTextStream;

namespace cqrs {
class LatencyHistogram;
class Lab;
struct CatalogSnapshot;
struct PlaceOrder;
struct LabConfig;
}

namespace cqrs::bench {

/// The machine the numbers were taken on, for the report.
struct MachineInfo
{
    int cores = 0;
    QString cpuModel;
    double ramGiB = 0;
    QString sqliteVersion;
    QString qtVersion;
    QString kernel;
    QString os;
};

MachineInfo machineInfo();
/// The 1/5/15-minute load averages (/proc/loadavg): other work on the machine.
QString loadAverage();

/// Median of the values (mean of the middle two for an even count).
double median(QList<double> values);
/// "min–max" of the values, for showing the spread next to a median.
QString spread(const QList<double>& values, int decimals);

/// The values as a JSON array (per-run figures in the JSON report).
QJsonArray jsonArray(const QList<double>& values);

/// Resident set size of this process, from /proc/self/status (VmRSS).
qint64 rssKb();
qint64 fileSize(const QString& path);

/// Runs the caller's event loop until `done` holds or `timeoutS` passes
/// (polled every few ms). Continuations bound to objects of this thread
/// (Lab::open, the window) need the loop running while we wait.
bool waitUntil(const std::function<bool()>& done, double timeoutS, int pollMs = 5);
/// Runs the event loop for `seconds`.
void runEventLoopFor(double seconds);

template <typename T>
T awaitResult(QFuture<T> future, double timeoutS = 60)
{
    waitUntil([&future] { return future.isFinished(); }, timeoutS);
    return future.isFinished() && future.resultCount() > 0 ? future.result() : T{};
}

/// A fresh temporary directory for one store (under --dir when given).
std::unique_ptr<QTemporaryDir> makeTempDir(const BenchOptions& options);

/// Creates (and seeds with the demo catalog) a write store through the
/// command bus, then restocks every product `restockRounds` × 10,000 units
/// so long runs never hit "out of stock". Closes it (checkpointing the WAL
/// into the file, so it can be copied) and returns its catalog.
CatalogSnapshot prepareStore(const QString& writeDbPath, int restockRounds);
/// Restock rounds (× 10,000 units per product) that leave stock for `orders`
/// simulated orders (about 2.6 units each over 20 products) with margin.
int restockRoundsFor(qint64 orders);
/// `count` orders from the simulator's own mix (orders only, shown prices),
/// made before any clock starts; throws if the mix would need a restock.
QList<PlaceOrder> makeOrders(const CatalogSnapshot& catalog, qint64 count, quint32 seed);
/// Copies a prepared store file to `directory`/write.db.
QString copyStore(const QString& templatePath, const QString& directory);
/// A Lab on `config.dataDir`, opened (throws BenchError when it cannot).
std::unique_ptr<Lab> openLab(const LabConfig& config);

/// CPU time used by this whole process so far (all threads), in ns. Unlike
/// wall-clock rates it does not depend on how busy the rest of the machine
/// is, which makes "CPU per order" comparable between noisy runs.
qint64 processCpuNs();

/// Seconds since a monotonicNowNs() stamp.
double secondsSince(qint64 startNs);

QString formatRate(double perSecond, const QString& unit);
QString formatMs(double ms);
QString formatLatencies(const LatencyHistogram& histogram);

/// Progress lines on stderr, so stdout carries only the table.
QTextStream& progress();

} // namespace cqrs::bench
