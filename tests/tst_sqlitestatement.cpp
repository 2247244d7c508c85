// SqliteStatement: the write model's statements on SQLite's C API, through
// the handle of a Qt QSQLITE connection, and its busy wait.
#include "write/sqlitestatement.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sqlite3.h>

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
        sqlite3* holder = openRaw(path());
        sqlite3* waiter = openRaw(path());
        QVERIFY(holder && waiter);
        QCOMPARE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
        SqliteStatement::setFineBusyWait(waiter, 10'000);
        bool began = false;
        QString error;
        std::thread contender([&] {
            SqliteStatement begin(waiter, "BEGIN IMMEDIATE");
            began = begin.exec(&error);
        });
        // Hold the lock a while, so the contender finds it taken and has to
        // wait (without a busy handler it would fail at once); it must get
        // the lock once the holder lets go, well within its 10 s.
        QThread::msleep(200);
        QCOMPARE(sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        contender.join();
        QVERIFY2(began, qPrintable(error));
        QCOMPARE(sqlite3_exec(waiter, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(holder);
        sqlite3_close(waiter);
    }
};

QTEST_GUILESS_MAIN(TestSqliteStatement)
#include "tst_sqlitestatement.moc"
