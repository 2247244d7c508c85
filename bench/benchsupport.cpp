#include "benchsupport.h"

#include "rawdatabase.h"

#include "commands/commandbus.h"
#include "lab/lab.h"
#include "metrics/latencyhistogram.h"
#include "sim/ordermix.h"
#include "util/money.h"
#include "util/monotonicclock.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <sqlite3.h>

#include <algorithm>
#include <ctime>

namespace cqrs::bench {

namespace {

/// The value of "key<sep> value" in a /proc file, or empty.
QString procField(const QString& path, const QString& key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    // /proc files report size 0, so read line by line instead of readAll()+size.
    QTextStream in(&file);
    QString line;
    while (in.readLineInto(&line)) {
        if (line.startsWith(key)) {
            const qsizetype colon = line.indexOf(u':');
            if (colon > 0 && line.left(colon).trimmed() == key)
                return line.mid(colon + 1).trimmed();
        }
    }
    return {};
}

} // namespace

MachineInfo machineInfo()
{
    MachineInfo info;
    info.cores = QThread::idealThreadCount();
    info.cpuModel = procField(QStringLiteral("/proc/cpuinfo"), QStringLiteral("model name"));
    const QString memTotal = procField(QStringLiteral("/proc/meminfo"), QStringLiteral("MemTotal"));
    info.ramGiB = memTotal.section(u' ', 0, 0).toDouble() / (1024.0 * 1024.0);
    info.sqliteVersion = QString::fromLatin1(sqlite3_libversion());
    info.qtVersion = QString::fromLatin1(qVersion());
    info.kernel = QSysInfo::kernelType() + u' ' + QSysInfo::kernelVersion();
    info.os = QSysInfo::prettyProductName();
    return info;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return QStringLiteral("unknown");
    return QString::fromLatin1(file.readLine()).section(u' ', 0, 2);
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

QString spread(const QList<double>& values, int decimals)
{
    if (values.size() < 2)
        return {};
    const auto [low, high] = std::minmax_element(values.cbegin(), values.cend());
    return QStringLiteral("%1–%2").arg(*low, 0, 'f', decimals).arg(*high, 0, 'f', decimals);
}

QJsonArray jsonArray(const QList<double>& values)
{
    QJsonArray array;
    for (double value : values)
        array.append(value);
    return array;
}

qint64 rssKb()
{
    // "VmRSS:    123456 kB"
    return procField(QStringLiteral("/proc/self/status"), QStringLiteral("VmRSS"))
        .section(u' ', 0, 0)
        .toLongLong();
}

qint64 fileSize(const QString& path)
{
    const QFileInfo info(path);
    return info.exists() ? info.size() : 0;
}

bool waitUntil(const std::function<bool()>& done, double timeoutS, int pollMs)
{
    if (done())
        return true;
    const qint64 deadline = monotonicNowNs() + qint64(timeoutS * 1e9);
    QEventLoop loop;
    QTimer poll;
    poll.setTimerType(Qt::PreciseTimer);
    bool reached = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done()) {
            reached = true;
            loop.quit();
        } else if (monotonicNowNs() >= deadline) {
            loop.quit();
        }
    });
    poll.start(pollMs);
    loop.exec();
    return reached;
}

void runEventLoopFor(double seconds)
{
    const qint64 until = monotonicNowNs() + qint64(seconds * 1e9);
    waitUntil([until] { return monotonicNowNs() >= until; }, seconds + 1, 20);
}

std::unique_ptr<QTemporaryDir> makeTempDir(const BenchOptions& options)
{
    const QString parent = options.workDir.isEmpty() ? QDir::tempPath() : options.workDir;
    QDir().mkpath(parent);
    auto dir = std::make_unique<QTemporaryDir>(QDir(parent).filePath(QStringLiteral("cqrs-bench-XXXXXX")));
    if (!dir->isValid())
        qFatal("Cannot create a temporary directory under %s", qUtf8Printable(parent));
    return dir;
}

CatalogSnapshot prepareStore(const QString& writeDbPath, int restockRounds)
{
    CommandBus bus;
    StoreConfig config;
    config.writeDbPath = writeDbPath;
    config.seedDemoData = true;
    const StoreInfo info = awaitResult(bus.open(config));
    if (!info.ok)
        throw BenchError(QStringLiteral("Cannot create %1: %2").arg(writeDbPath, info.error));
    CatalogSnapshot catalog = awaitResult(bus.catalog());
    QList<QFuture<CommandResult>> restocks;
    for (int round = 0; round < restockRounds; ++round)
        for (const ProductInfo& product : std::as_const(catalog.products))
            restocks.append(bus.submit(RestockProduct{{newCommandId(), CommandOrigin::Test},
                                                      product.id, 10'000, {}}));
    for (QFuture<CommandResult>& restock : restocks) {
        const CommandResult result = awaitResult(restock);
        if (!result.accepted())
            throw BenchError(QStringLiteral("Restocking failed: %1").arg(result.reason));
    }
    catalog = awaitResult(bus.catalog());
    bus.close();
    if (!catalog.error.isEmpty())
        throw BenchError(QStringLiteral("Cannot read the catalog: %1").arg(catalog.error));
    return catalog;
}

// Rounds of 10,000 per product. The order mix asks for a restock once a
// product runs low; 1.5 rounds per 100,000 orders, truncated, left 65,000
// orders (a visibility run of 8 s) with one round, which ran out.
int restockRoundsFor(qint64 orders) { return 2 + int(orders * 3 / 100'000); }

QList<PlaceOrder> makeOrders(const CatalogSnapshot& catalog, qint64 count, quint32 seed)
{
    OrderMix::Options mixOptions;
    mixOptions.ordersOnly = true;
    OrderMix mix(catalog, seed, mixOptions);
    QList<PlaceOrder> orders;
    orders.reserve(count);
    for (qint64 i = 0; i < count; ++i) {
        const Command command = mix.next();
        if (!std::holds_alternative<PlaceOrder>(command))
            throw BenchError(QStringLiteral("The order mix asked for a %1; stock is too low.")
                                 .arg(commandName(command)));
        orders.append(std::get<PlaceOrder>(command));
    }
    return orders;
}

QString copyStore(const QString& templatePath, const QString& directory)
{
    const QString target = QDir(directory).filePath(QStringLiteral("write.db"));
    if (!QFile::copy(templatePath, target))
        throw BenchError(QStringLiteral("Cannot copy %1 to %2").arg(templatePath, target));
    return target;
}

std::unique_ptr<Lab> openLab(const LabConfig& config)
{
    auto lab = std::make_unique<Lab>(config);
    const StoreInfo info = awaitResult(lab->open(), 120);
    if (!info.ok)
        throw BenchError(QStringLiteral("The lab did not open %1: %2").arg(config.dataDir, info.error));
    return lab;
}

qint64 processCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

double secondsSince(qint64 startNs) { return double(monotonicNowNs() - startNs) / 1e9; }

QString formatRate(double perSecond, const QString& unit)
{
    return QStringLiteral("%1 %2").arg(formatCount(qRound64(perSecond)), unit);
}

QString formatMs(double ms)
{
    // Whole microseconds, rounded down: a histogram quantile is its bucket's
    // top (e.g. 999.999 µs), which rounding would print as "1000 µs" next to
    // a "met" for a target of < 1 ms.
    if (ms < 1)
        return QStringLiteral("%1 µs").arg(qint64(ms * 1000));
    return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms < 10 ? 2 : 1);
}

QString formatLatencies(const LatencyHistogram& histogram)
{
    return QStringLiteral("p50 %1 / p99 %2 / max %3")
        .arg(formatMs(histogram.quantileMs(0.50)), formatMs(histogram.quantileMs(0.99)),
             formatMs(histogram.maxMs()));
}

QTextStream& progress()
{
    static QTextStream err(stderr);
    return err;
}

} // namespace cqrs::bench
