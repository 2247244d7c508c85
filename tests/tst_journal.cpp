// The write store's journal: CRUD runs on SQLite's rollback journal, where a
// report reading write.db holds every commit back until it finishes (the
// article's stall); the CQRS modes run on a write-ahead log, where it does
// not. Reopening the same folder in the other mode switches the journal and
// keeps every order; a switch SQLite cannot make fails with a clear message
// and changes nothing.
#include "readsupport.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

using namespace cqrs;
using namespace cqrs::test;

namespace {

constexpr qint64 blueMug = 1;

/// A plain connection to a file, owned by the test thread.
class Connection final
{
public:
    explicit Connection(const QString& path, const QString& options = {})
        : m_name(QStringLiteral("journal-test-%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(options);
        db.open();
    }
    ~Connection()
    {
        QSqlDatabase::database(m_name, false).close();
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    QString scalar(const QString& sql) const
    {
        QSqlQuery query(db());
        return query.exec(sql) && query.next() ? query.value(0).toString() : QStringLiteral("<error>");
    }

private:
    static inline int s_count = 0;
    QString m_name;
};

QString fileJournal(const QString& path)
{
    const Connection connection(path);
    return connection.scalar(QStringLiteral("PRAGMA journal_mode"));
}

/// On the rollback journal a commit that waits for readers holds SQLite's
/// PENDING lock, and a new reader is turned away at once: true then.
bool newReadersAreLockedOut(const QString& path)
{
    const Connection probe(path, QStringLiteral("QSQLITE_BUSY_TIMEOUT=0"));
    QSqlQuery query(probe.db());
    return !query.exec(QStringLiteral("SELECT COUNT(*) FROM orders"));
}

qint64 ordersIn(const QString& path)
{
    const Connection connection(path);
    return connection.scalar(QStringLiteral("SELECT COUNT(*) FROM orders")).toLongLong();
}

} // namespace

class TestJournal final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachModeOpensOnItsJournalAndKeepsTheOrders()
    {
        LabHarness harness(ArchitectureMode::Crud);
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(harness.lab().journal(), JournalMode::Rollback);
        QVERIFY(harness.lab().reopenNeededFor(ArchitectureMode::Physical));
        QVERIFY(!harness.lab().reopenNeededFor(ArchitectureMode::Crud));
        QCOMPARE(harness.run(order(1, {line(blueMug, 1)})).status, CommandResult::Status::Accepted);
        const QString writeDb = harness.lab().writeDbPath();
        QCOMPARE(fileJournal(writeDb), QStringLiteral("delete"));
        QVERIFY(!QFile::exists(writeDb + QStringLiteral("-wal")));
        harness.close();

        for (ArchitectureMode mode : {ArchitectureMode::Physical, ArchitectureMode::Logical, ArchitectureMode::Crud}) {
            const qint64 orders = ordersIn(writeDb);
            harness.config().architecture = mode;
            openLab(harness);
            if (QTest::currentTestFailed())
                return;
            QCOMPARE(harness.lab().journal(), Lab::journalFor(mode));
            QCOMPARE(fileJournal(writeDb),
                     mode == ArchitectureMode::Crud ? QStringLiteral("delete") : QStringLiteral("wal"));
            QCOMPARE(harness.run(order(2, {line(blueMug, 1)})).status, CommandResult::Status::Accepted);
            QCOMPARE(ordersIn(writeDb), orders + 1);
            harness.close();
        }
    }

    void leavingWalWhileAnotherConnectionHasTheFileFailsAndChangesNothing()
    {
        LabHarness harness(ArchitectureMode::Physical);
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(harness.run(order(1, {line(blueMug, 1)})).status, CommandResult::Status::Accepted);
        const QString writeDb = harness.lab().writeDbPath();
        harness.close();

        {
            // Another program reading the store keeps it in WAL mode.
            const Connection other(writeDb);
            QCOMPARE(other.scalar(QStringLiteral("SELECT COUNT(*) FROM orders")), QStringLiteral("1"));
            harness.config().architecture = ArchitectureMode::Crud;
            QFuture<StoreInfo> opened = harness.start();
            QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), longWaitMs);
            QVERIFY(!opened.result().ok);
            QVERIFY2(opened.result().error.contains(QStringLiteral("another program")),
                     qPrintable(opened.result().error));
            QVERIFY2(opened.result().error.contains(QStringLiteral("write.db")), qPrintable(opened.result().error));
            harness.close();
            QCOMPARE(other.scalar(QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
        }
        QCOMPARE(ordersIn(writeDb), 1);

        // Once the other program is gone, CRUD opens.
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(fileJournal(writeDb), QStringLiteral("delete"));
    }

    void synchronousUpdateNeverSpansTwoJournals_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("inlineUpdate");
        QTest::newRow("crud (rollback journal, views in read.db)") << int(ArchitectureMode::Crud) << false;
        QTest::newRow("physical (WAL, views in read.db)") << int(ArchitectureMode::Physical) << true;
        QTest::newRow("logical (WAL, views in write.db)") << int(ArchitectureMode::Logical) << true;
    }

    void synchronousUpdateNeverSpansTwoJournals()
    {
        // One transaction across write.db on the rollback journal and
        // read.db on WAL is not atomic in SQLite; there the projectors fold.
        QFETCH(int, mode);
        QFETCH(bool, inlineUpdate);
        LabHarness harness{ArchitectureMode(mode)};
        harness.config().synchronousUpdate = true;
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(harness.lab().synchronousUpdate());
        QCOMPARE(harness.lab().synchronousUpdateActive(), inlineUpdate);
        QCOMPARE(harness.run(order(4, {line(blueMug, 2)})).status, CommandResult::Status::Accepted);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(harness.lab()), qPrintable(describe(harness.lab())), longWaitMs);
        CQRS_COMPARE_WITH_CRUD(harness.lab().queries(), harness.viewMode());
    }

    void aRollbackStoreSwitchedToLogicalTurnsToWal()
    {
        // The views move into write.db; the projectors' writer connection
        // there turns it to WAL, and the Lab says so.
        LabHarness harness(ArchitectureMode::Crud);
        openLab(harness);
        if (QTest::currentTestFailed())
            return;
        switchArchitecture(harness.lab(), ArchitectureMode::Logical);
        QCOMPARE(harness.lab().journal(), JournalMode::WriteAheadLog);
        QVERIFY(harness.lab().reopenNeededFor(ArchitectureMode::Crud));
        QCOMPARE(harness.run(order(5, {line(blueMug, 1)})).status, CommandResult::Status::Accepted);
        QTRY_VERIFY2_WITH_TIMEOUT(caughtUp(harness.lab()), qPrintable(describe(harness.lab())), longWaitMs);
        QCOMPARE(fileJournal(harness.lab().writeDbPath()), QStringLiteral("wal"));
    }

    void aReportOnTheWriteStoreHoldsCommitsBackOnlyOnTheRollbackJournal_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("crud") << int(ArchitectureMode::Crud);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
    }

    void aReportOnTheWriteStoreHoldsCommitsBackOnlyOnTheRollbackJournal()
    {
        QFETCH(int, mode);
        LabHarness harness{ArchitectureMode(mode)};
        openLab(harness);
        if (QTest::currentTestFailed())
            return;

        // A report in the middle of reading write.db.
        const Connection report(harness.lab().writeDbPath());
        QSqlQuery reading(report.db());
        QVERIFY(reading.exec(QStringLiteral("BEGIN")));
        QVERIFY(reading.exec(QStringLiteral("SELECT COUNT(*) FROM orders")));
        QVERIFY(reading.next());
        const qint64 ordersSeen = reading.value(0).toLongLong();

        QFuture<CommandResult> placed = harness.lab().bus().submit(order(3, {line(blueMug, 1)}));
        if (ArchitectureMode(mode) == ArchitectureMode::Crud) {
            // The commit needs the file to itself: it waits for the report,
            // holding the lock that turns new readers away meanwhile.
            QTRY_VERIFY_WITH_TIMEOUT(newReadersAreLockedOut(harness.lab().writeDbPath()), longWaitMs);
            QVERIFY(!placed.isFinished());
            reading.finish();
            QVERIFY(report.db().commit());
        }
        QTRY_VERIFY_WITH_TIMEOUT(placed.isFinished(), longWaitMs);
        QCOMPARE(placed.result().status, CommandResult::Status::Accepted);
        if (ArchitectureMode(mode) != ArchitectureMode::Crud) {
            // The report went on reading its snapshot, which predates the order.
            QVERIFY(reading.exec(QStringLiteral("SELECT COUNT(*) FROM orders")));
            QVERIFY(reading.next());
            QCOMPARE(reading.value(0).toLongLong(), ordersSeen);
            reading.finish();
            QVERIFY(report.db().commit());
        }
    }
};

QTEST_GUILESS_MAIN(TestJournal)
#include "tst_journal.moc"
