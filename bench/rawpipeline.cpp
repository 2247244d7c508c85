#include "rawpipeline.h"

#include "benchsupport.h"
#include "rawdatabase.h"
#include "rawstatement.h"
#include "rawwritestore.h"

#include "util/monotonicclock.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace cqrs::bench {

namespace {

constexpr qint64 tickNs = 5'000'000; // the LoadGenerator's tick

/// Shared between the writer and the reader thread.
struct Channel
{
    std::mutex mutex;
    std::condition_variable wake;
    qint64 committedHead = 0;
    /// (head, when its COMMIT returned) of every commit the reader has not taken yet.
    std::deque<std::pair<qint64, qint64>> receipts;
    bool stop = false;
};

void readerLoop(const QString& writeDbPath, const QString& readDbPath, Channel& channel,
                qint64 measureFromNs, LatencyHistogram& out, QString& error)
{
    try {
        RawDatabase log(writeDbPath);
        RawDatabase store(readDbPath);
        store.exec("CREATE TABLE IF NOT EXISTS raw_order_summary ("
                   " order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
                   " customer_name TEXT NOT NULL, total_cents INTEGER NOT NULL,"
                   " last_position INTEGER NOT NULL)");
        store.exec("CREATE TABLE IF NOT EXISTS raw_checkpoint (id INTEGER PRIMARY KEY, position INTEGER)");
        RawStatement start(log, "SELECT COALESCE(MAX(position), 0) FROM events");
        qint64 position = start.step() ? start.int64(0) : 0;
        start.reset();
        RawStatement read(log, "SELECT position, type, aggregate_id, committed_mono_ns,"
                               " json_extract(payload, '$.customerId'),"
                               " json_extract(payload, '$.customerName'),"
                               " json_extract(payload, '$.totalCents')"
                               " FROM events WHERE position > ? ORDER BY position LIMIT 500");
        RawStatement begin(store, "BEGIN IMMEDIATE");
        RawStatement commit(store, "COMMIT");
        RawStatement insert(store, "INSERT OR REPLACE INTO raw_order_summary VALUES (?, ?, ?, ?, ?)");
        RawStatement checkpoint(store, "INSERT OR REPLACE INTO raw_checkpoint VALUES (1, ?)");
        std::vector<qint64> committed;
        std::deque<std::pair<qint64, qint64>> receipts;
        while (true) {
            {
                std::unique_lock lock(channel.mutex);
                channel.wake.wait(lock, [&] { return channel.stop || channel.committedHead > position; });
                if (channel.stop && channel.committedHead <= position)
                    return;
                receipts.insert(receipts.end(), channel.receipts.begin(), channel.receipts.end());
                channel.receipts.clear();
            }
            committed.clear();
            read.bind(1, position);
            begin.run();
            while (read.step()) {
                position = read.int64(0);
                // Measured from its COMMIT, as the lab measures (the stored
                // stamp, taken before the commit, when the writer has not
                // said yet).
                while (!receipts.empty() && receipts.front().first < position)
                    receipts.pop_front();
                committed.push_back(receipts.empty() ? read.int64(3) : receipts.front().second);
                if (read.text(1) == "OrderPlaced")
                    insert.bind(1, read.int64(2))
                        .bind(2, read.int64(4))
                        .bind(3, read.text(5))
                        .bind(4, read.int64(6))
                        .bind(5, position)
                        .run();
            }
            read.reset();
            checkpoint.bind(1, position).run();
            commit.run();
            const qint64 applied = monotonicNowNs();
            for (qint64 stamp : committed)
                if (stamp >= measureFromNs)
                    out.record(applied - stamp);
        }
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
}

} // namespace

RawPipelineResult runRawPipeline(const RawPipelineConfig& config)
{
    RawPipelineResult result;
    RawWriteStore store(config.writeDbPath, config.catalog);
    Channel channel;
    const qint64 startNs = monotonicNowNs();
    const qint64 measureFromNs = startNs + qint64(config.warmupS * 1e9);
    const qint64 endNs = measureFromNs + qint64(config.seconds * 1e9);

    QString readerError;
    std::thread reader;
    if (!config.readDbPath.isEmpty())
        reader = std::thread(readerLoop, config.writeDbPath, config.readDbPath, std::ref(channel),
                             measureFromNs, std::ref(result.visibility), std::ref(readerError));

    qint64 sent = 0;
    qint64 sentMeasured = 0;
    qint64 cpuAtMeasureStart = -1;
    std::string failure;
    try {
        qint64 tick = startNs;
        while (true) {
            tick += tickNs;
            std::this_thread::sleep_until(
                std::chrono::steady_clock::time_point(std::chrono::nanoseconds(tick)));
            const qint64 now = monotonicNowNs();
            if (now >= endNs)
                break;
            if (now >= measureFromNs && cpuAtMeasureStart < 0)
                cpuAtMeasureStart = processCpuNs();
            // Everything due by now, in one transaction (budget as in LoadGenerator).
            const qint64 due = qint64(double(now - startNs) * config.ratePerS / 1e9);
            const qint64 count = std::min<qint64>(due - sent, config.orders.size() - sent);
            if (count <= 0)
                continue;
            store.begin();
            for (qint64 i = 0; i < count; ++i)
                store.placeOrder(config.orders.at(sent + i));
            store.commit();
            const qint64 done = monotonicNowNs();
            sent += count;
            if (now >= measureFromNs) {
                sentMeasured += count;
                for (qint64 i = 0; i < count; ++i)
                    result.commit.record(done - now);
            }
            if (reader.joinable()) {
                {
                    std::lock_guard lock(channel.mutex);
                    channel.committedHead = store.head();
                    channel.receipts.emplace_back(store.head(), done);
                }
                channel.wake.notify_one();
            }
            if (sent >= config.orders.size())
                throw BenchError(QStringLiteral("The raw pipeline ran out of orders"));
        }
    } catch (const std::exception& e) {
        failure = e.what();
    }
    const qint64 cpuUsed = processCpuNs() - std::max<qint64>(0, cpuAtMeasureStart);
    if (reader.joinable()) {
        {
            std::lock_guard lock(channel.mutex);
            channel.stop = true;
        }
        channel.wake.notify_one();
        reader.join();
    }
    if (!failure.empty())
        throw BenchError(QString::fromStdString(failure));
    if (!readerError.isEmpty())
        throw BenchError(readerError);
    result.ordersPerS = sentMeasured / config.seconds;
    result.coresUsed = double(cpuUsed) / 1e9 / config.seconds;
    return result;
}

} // namespace cqrs::bench
