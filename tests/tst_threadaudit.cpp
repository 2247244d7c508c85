// ThreadAudit: what makes invariant 6 checkable. SQL and waits on the
// watched thread are recorded, the same on any other thread are not, and a
// lifecycle call off its owner's thread is recorded wherever it happens.
#include "lab/lab.h"
#include "util/sqlconnection.h"
#include "util/threadaudit.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using namespace cqrs;

class TestThreadAudit final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { ThreadAudit::clearViolations(); }
    void cleanup() { ThreadAudit::watch(nullptr); }

    void sqlOnTheWatchedThreadIsRecorded()
    {
        QTemporaryDir dir;
        ThreadAudit::watch(QThread::currentThread());
        {
            SqlConnection connection(QStringLiteral("audit"), dir.filePath(QStringLiteral("a.db")), SqlConnection::Role::Reader);
            QString error;
            QVERIFY(connection.open(&error));
            QVERIFY(execSql(connection.db(), QStringLiteral("SELECT 1"), &error));
        }
        QVERIFY(ThreadAudit::violationCount() >= 2);
        QVERIFY2(ThreadAudit::violations().first().startsWith(QStringLiteral("sql: SqlConnection::open")),
                 qPrintable(ThreadAudit::violations().join(u'\n')));
    }

    void sqlElsewhereIsNot()
    {
        QTemporaryDir dir;
        ThreadAudit::watch(QThread::currentThread());
        QFuture<bool> done = QtConcurrent::run([path = dir.filePath(QStringLiteral("b.db"))] {
            SqlConnection connection(QStringLiteral("audit"), path, SqlConnection::Role::Reader);
            QString error;
            return connection.open(&error) && execSql(connection.db(), QStringLiteral("SELECT 1"), &error);
        });
        QTRY_VERIFY(done.isFinished());
        QVERIFY(done.result());
        QCOMPARE(ThreadAudit::violationCount(), 0);
    }

    void aWaitOnTheWatchedThreadIsRecorded()
    {
        ThreadAudit::watch(QThread::currentThread());
        ThreadAudit::noteWait("a test's join");
        QCOMPARE(ThreadAudit::violations(), QStringList{QStringLiteral("wait: a test's join (thread main)")});
    }

    void aLifecycleCallOffItsOwnersThreadIsRecorded()
    {
        // The window used to close a Lab from a pool thread while the Lab's
        // callbacks still ran on the GUI thread.
        QTemporaryDir dir;
        LabConfig config;
        config.dataDir = dir.path();
        Lab lab(config);
        QFuture<void> closed = QtConcurrent::run([&lab] { lab.close(); });
        QTRY_VERIFY(closed.isFinished());
        QVERIFY2(ThreadAudit::violations().join(u'\n').contains(QStringLiteral("owner: Lab::close")),
                 qPrintable(ThreadAudit::violations().join(u'\n')));
        ThreadAudit::clearViolations();
        lab.close(); // on its own thread: fine
        QCOMPARE(ThreadAudit::violationCount(), 0);
    }
};

QTEST_MAIN(TestThreadAudit)
#include "tst_threadaudit.moc"
