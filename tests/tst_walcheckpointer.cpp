// WalCheckpointer: the background thread that keeps a store's WAL bounded
// while a writer never stops committing, and never stops that writer for
// long (its RESTART is preceded by a PASSIVE, see walcheckpointer.cpp).
#include "write/sqlitestatement.h"
#include "write/walcheckpointer.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace cqrs;

class TestWalCheckpointer final : public QObject
{
    Q_OBJECT

private:
    struct Writer
    {
        sqlite3* db = nullptr;
        sqlite3_stmt* insert = nullptr;
        ~Writer()
        {
            sqlite3_finalize(insert);
            sqlite3_close(db);
        }
        bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
        QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
    };

    static qint64 scalar(sqlite3* db, const char* sql)
    {
        sqlite3_stmt* statement = nullptr;
        qint64 value = -1;
        if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK
            && sqlite3_step(statement) == SQLITE_ROW)
            value = sqlite3_column_int64(statement, 0);
        sqlite3_finalize(statement);
        return value;
    }

private Q_SLOTS:
    void logWrapsWhileTheWriterNeverStops()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("write.db"));
        Writer writer;
        QCOMPARE(sqlite3_open_v2(path.toUtf8().constData(), &writer.db,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
                 SQLITE_OK);
        // As the command worker's connection is set up (WriteModel, Lab):
        // it waits for the checkpointer's short hold on the writer lock.
        SqliteStatement::setFineBusyWait(writer.db, 10'000);
        QVERIFY2(writer.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                             "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;"
                             "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"),
                 qPrintable(writer.error()));
        QCOMPARE(sqlite3_prepare_v2(writer.db, "INSERT INTO rows (body) VALUES (zeroblob(3000))",
                                    -1, &writer.insert, nullptr),
                 SQLITE_OK);

        WalCheckpointer checkpointer(path, 10);
        checkpointer.start();
        // One row per commit, back to back: the writer holds its lock for
        // most of the time and the log passes the restart threshold (4,000
        // frames) every few thousand commits. Without the checkpointer's
        // RESTART the log would only grow (nothing else checkpoints).
        constexpr int maxCommits = 50'000; // ~2,000-4,000 per wrap here
        // After each commit SQLite reports the log's length in frames: it
        // drops when a commit wrote the log from the top again.
        struct LogLength
        {
            int last = 0;
            int wraps = 0;
        } log;
        sqlite3_wal_hook(
            writer.db,
            [](void* data, sqlite3*, const char*, int frames) {
                auto* length = static_cast<LogLength*>(data);
                if (frames < length->last)
                    ++length->wraps;
                length->last = frames;
                return SQLITE_OK;
            },
            &log);
        int commits = 0;
        while (log.wraps < 3 && commits < maxCommits) {
            QCOMPARE(sqlite3_step(writer.insert), SQLITE_DONE);
            sqlite3_reset(writer.insert);
            ++commits;
        }
        checkpointer.stop();
        // Each RESTART made the writer's next commit write the log from the
        // top again instead of growing it. (How long the log gets between
        // two restarts depends on the machine's speed: the benchmark's
        // contention run measures it, not this test.)
        QVERIFY2(log.wraps >= 3,
                 qPrintable(QStringLiteral("the log wrapped %1 times in %2 commits (%3 checkpoints, %4 restarts)")
                                .arg(log.wraps)
                                .arg(commits)
                                .arg(checkpointer.checkpoints())
                                .arg(checkpointer.restarts())));
        QVERIFY(checkpointer.restarts() >= 1);
        QCOMPARE(scalar(writer.db, "SELECT COUNT(*) FROM rows"), qint64(commits));
        sqlite3_stmt* check = nullptr;
        QCOMPARE(sqlite3_prepare_v2(writer.db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_step(check), SQLITE_ROW);
        const QString verdict = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)));
        sqlite3_finalize(check);
        QCOMPARE(verdict, QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpointer)
#include "tst_walcheckpointer.moc"
