// The simulated analytics dashboard: its reports give the same answers from
// the write tables (CRUD) and from the views (CQRS), and the load runs them
// at the asked rate on its own connections.
#include "lab/lab.h"
#include "sim/analyticsload.h"
#include "sim/loadgenerator.h"

#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;

namespace {
constexpr int timeoutMs = 60'000;

bool caughtUp(Lab& lab)
{
    const qint64 head = lab.bus().headPosition();
    for (const ProjectionStatus& s : lab.projections().board().statuses()) {
        if (s.checkpoint < head)
            return false;
    }
    return true;
}

/// A connection owned by the test thread, removed on destruction.
class Connection final
{
public:
    explicit Connection(const QString& path)
        : m_name(QStringLiteral("analytics-test-%1").arg(++s_count))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~Connection() { QSqlDatabase::removeDatabase(m_name); }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name); }

private:
    static inline int s_count = 0;
    QString m_name;
};
} // namespace

class TestAnalytics final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reportsAgreeBetweenCrudAndViews_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("logical") << int(ArchitectureMode::Logical);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void reportsAgreeBetweenCrudAndViews()
    {
        QFETCH(int, mode);
        QTemporaryDir dir;
        LabConfig config;
        config.dataDir = dir.path();
        config.architecture = ArchitectureMode(mode);
        Lab lab(config);
        auto opened = lab.open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), timeoutMs);
        QVERIFY(opened.result().ok);

        // A realistic mix: cancels, price changes, restocks, rejected orders.
        LoadGenerator traffic(&lab.bus(), 3);
        traffic.start();
        traffic.setRate(2000);
        QTRY_VERIFY_WITH_TIMEOUT(traffic.stats().accepted > 1500, timeoutMs);
        traffic.setRate(0);
        traffic.stop();
        QVERIFY(traffic.stats().failed == 0);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(lab), timeoutMs);

        Connection write(lab.writeDbPath());
        Connection read(lab.projectionStorePath(ArchitectureMode(mode)));
        for (auto report : {AnalyticsLoad::Report::TopCustomers, AnalyticsLoad::Report::BestSellers,
                            AnalyticsLoad::Report::RevenueByCategory, AnalyticsLoad::Report::RevenueByHour}) {
            const AnalyticsLoad::Answer crud = AnalyticsLoad::run(report, ArchitectureMode::Crud, write.db());
            const AnalyticsLoad::Answer views = AnalyticsLoad::run(report, ArchitectureMode(mode), read.db());
            QVERIFY2(crud.error.isEmpty(), qPrintable(crud.error));
            QVERIFY2(views.error.isEmpty(), qPrintable(views.error));
            QVERIFY(!crud.rows.isEmpty());
            QCOMPARE(views.rows, crud.rows);
        }
        lab.close();
    }

    void loadRunsReportsAtTheAskedRate()
    {
        QTemporaryDir dir;
        LabConfig config;
        config.dataDir = dir.path();
        Lab lab(config);
        auto opened = lab.open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), timeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(caughtUp(lab), timeoutMs);

        AnalyticsLoad load(lab.writeDbPath(), lab.readDbPath(), 5);
        load.setMode(ArchitectureMode::Crud);
        load.setRate(20);
        load.start();
        QTRY_VERIFY_WITH_TIMEOUT(load.stats().reportsRun >= 10, timeoutMs);
        load.setMode(ArchitectureMode::Physical);
        const qint64 before = load.stats().reportsRun;
        QTRY_VERIFY_WITH_TIMEOUT(load.stats().reportsRun >= before + 10, timeoutMs);
        QCOMPARE(load.stats().reportsFailed, 0);
        QCOMPARE(load.takeWindow().count() > 0, true);
        load.setRate(0);
        load.stop();
        QCOMPARE(load.stats().duration.count(), load.stats().reportsRun);
        lab.close();
    }
};

QTEST_GUILESS_MAIN(TestAnalytics)
#include "tst_analytics.moc"
