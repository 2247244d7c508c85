// SqliteStatement: the write model's statements on SQLite's C API, through
// the handle of a Qt QSQLITE connection, and its busy wait.
#include "write/sqlitestatement.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <thread>

using namespace cqrs;

class TestSqliteStatement final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path() const { return m_dir.filePath(QStringLiteral("statements.db")); }

    static sqlite3* openRaw(const QString& path)
    {
        sqlite3* db = nullptr;
        if (sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr)
            != SQLITE_OK) {
            sqlite3_close(db);
            return nullptr;
        }
        return db;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("qt"));
        db.setDatabaseName(path());
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("PRAGMA journal_mode = WAL")));
        QVERIFY(query.exec(QStringLiteral(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INTEGER CHECK (n >= 0))")));
    }

    void cleanupTestCase()
    {
        QSqlDatabase::database(QStringLiteral("qt"), false).close();
        QSqlDatabase::removeDatabase(QStringLiteral("qt"));
    }

    void bindsAndReadsThroughQtsConnection()
    {
        const QSqlDatabase db = QSqlDatabase::database(QStringLiteral("qt"), false);
        sqlite3* handle = SqliteStatement::handleOf(db);
        QVERIFY(handle);
        const QByteArray name = QStringLiteral("Zoë \"Kruzhka\" 😀").toUtf8();
        {
            SqliteStatement insert(handle, "INSERT INTO items (name, n) VALUES (?, ?)");
            QVERIFY(insert.isValid());
            QString error;
            QVERIFY2(insert.bindText(1, QByteArrayView(name)).bind(2, Q_INT64_C(5'000'000'000)).exec(&error),
                     qPrintable(error));
            QVERIFY(insert.lastInsertRowId() > 0);
            // UTF-16 text is stored as the same UTF-8.
            QVERIFY2(insert.bindText(1, QStringView(u"Zoë")).bind(2, 1).exec(&error), qPrintable(error));
        }
        SqliteStatement select(handle, "SELECT name, n FROM items ORDER BY id");
        QCOMPARE(select.step(), SqliteStatement::Step::Row);
        QCOMPARE(select.text(0).toByteArray(), name);
        QCOMPARE(select.int64(1), Q_INT64_C(5'000'000'000));
        QCOMPARE(select.step(), SqliteStatement::Step::Row);
        QCOMPARE(QString::fromUtf8(select.text(0)), QStringLiteral("Zoë"));
        QCOMPARE(select.step(), SqliteStatement::Step::Done);
        select.reset();
        // Qt's own queries see the rows: one connection, two ways in.
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT COUNT(*), typeof(name) FROM items")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toInt(), 2);
        QCOMPARE(query.value(1).toString(), QStringLiteral("text"));
    }

    void errorsNameTheProblemAndTheStatement()
    {
        sqlite3* handle = SqliteStatement::handleOf(QSqlDatabase::database(QStringLiteral("qt"), false));
        SqliteStatement broken(handle, "INSERT INTO no_such_table VALUES (1)");
        QVERIFY(!broken.isValid());
        QVERIFY2(broken.error().contains(QStringLiteral("no_such_table")), qPrintable(broken.error()));
        QString error;
        QVERIFY(!broken.exec(&error));

        SqliteStatement insert(handle, "INSERT INTO items (name, n) VALUES (?, ?)");
        QVERIFY(!insert.bindText(1, QByteArrayView("x")).bind(2, -1).exec(&error));
        QVERIFY2(error.contains(QStringLiteral("CHECK constraint failed")), qPrintable(error));
        // Reset after the failure: the statement is usable again.
        QVERIFY2(insert.bindText(1, QByteArrayView("y")).bind(2, 2).exec(&error), qPrintable(error));
        // A null view binds '' (the NOT NULL columns refuse SQL NULL).
        QVERIFY2(insert.bindText(1, QByteArrayView()).bind(2, 3).exec(&error), qPrintable(error));
    }

    void noHandleWithoutAnOpenConnection()
    {
        QVERIFY(!SqliteStatement::handleOf(QSqlDatabase()));
        SqliteStatement orphan(nullptr, "SELECT 1");
        QVERIFY(!orphan.isValid());
        QCOMPARE(orphan.step(), SqliteStatement::Step::Error);
    }

    void busyWaitGivesUpAfterItsTimeout()
    {
        sqlite3* holder = openRaw(path());
        sqlite3* waiter = openRaw(path());
        QVERIFY(holder && waiter);
        QCOMPARE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        SqliteStatement::setFineBusyWait(waiter, 30);
        {
            SqliteStatement begin(waiter, "BEGIN IMMEDIATE");
            QString error;
            QElapsedTimer waited;
            waited.start();
            QVERIFY(!begin.exec(&error));
            // It waited its whole timeout first (sleeps only ever overshoot).
            QVERIFY2(waited.elapsed() >= 30, qPrintable(QString::number(waited.elapsed())));
            QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        }
        sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(holder);
        sqlite3_close(waiter);
    }

    void busyWaitGetsTheLockOnceItIsFree()
    {
        // On a rollback journal a reader's SHARED lock holds a COMMIT back:
        // the writer takes PENDING (new readers are turned away, which shows
        // it is waiting) and polls in the busy handler for EXCLUSIVE. Without
        // a busy wait the COMMIT would fail at once.
        const QByteArray file = m_dir.filePath(QStringLiteral("rollback.db")).toUtf8();
        const auto open = [&file] {
            sqlite3* db = nullptr;
            sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
            return db;
        };
        sqlite3* reader = open();
        sqlite3* waiter = open();
        QVERIFY(reader && waiter);
        QCOMPARE(sqlite3_exec(waiter, "PRAGMA journal_mode = DELETE; CREATE TABLE t (x)", nullptr, nullptr, nullptr),
                 SQLITE_OK);
        QCOMPARE(sqlite3_exec(reader, "BEGIN; SELECT COUNT(*) FROM t", nullptr, nullptr, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_exec(waiter, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)", nullptr, nullptr, nullptr),
                 SQLITE_OK);
        SqliteStatement::setFineBusyWait(waiter, 10'000);
        std::atomic<bool> done = false;
        bool committed = false;
        QString error;
        // jthread: a failed check below still joins it on the way out.
        std::jthread contender([&] {
            SqliteStatement commit(waiter, "COMMIT");
            committed = commit.exec(&error);
            done = true;
        });
        const auto readersLockedOut = [&open] {
            sqlite3* probe = open();
            const int rc = sqlite3_exec(probe, "SELECT COUNT(*) FROM t", nullptr, nullptr, nullptr);
            sqlite3_close(probe);
            return rc == SQLITE_BUSY;
        };
        QTRY_VERIFY_WITH_TIMEOUT(readersLockedOut(), 5'000);
        QVERIFY(!done);
        // The reader lets go: the waiting COMMIT gets the lock, well within 10 s.
        QCOMPARE(sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        contender.join();
        QVERIFY2(committed, qPrintable(error));
        sqlite3_close(reader);
        sqlite3_close(waiter);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
