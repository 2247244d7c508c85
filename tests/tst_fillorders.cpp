// LoadGenerator::fillOrders, which a lesson's Set up uses: it places exactly
// the orders asked for (rejected ones are placed again), as fast as the
// write side takes them, and records none of them as checkout latency.
#include "lab/lab.h"
#include "sim/loadgenerator.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace cqrs;

namespace {
constexpr int timeoutMs = 60'000;

qint64 ordersIn(const QString& path) {
    qint64 count = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("fill"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(QStringLiteral("SELECT COUNT(*) FROM orders"), db);
            if (query.next())
                count = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("fill"));
    return count;
}
} // namespace

class TestFillOrders final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fillPlacesExactlyTheOrdersAskedFor_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("crud") << int(ArchitectureMode::Crud);
        QTest::newRow("physical") << int(ArchitectureMode::Physical);
    }

    void fillPlacesExactlyTheOrdersAskedFor() {
        QFETCH(int, mode);
        QTemporaryDir dir;
        LabConfig config;
        config.dataDir = dir.path();
        config.architecture = ArchitectureMode(mode);
        Lab lab(config);
        auto opened = lab.open();
        QTRY_VERIFY_WITH_TIMEOUT(opened.isFinished(), timeoutMs);
        QVERIFY(opened.result().ok);
        const qint64 before = ordersIn(lab.writeDbPath());

        LoadGenerator traffic(&lab.bus(), 11);
        traffic.start();
        traffic.fillOrders(6'000); // more than the demo stock holds: some are rejected and placed again
        QTRY_VERIFY_WITH_TIMEOUT(traffic.stats().filling == 0, timeoutMs);
        traffic.stop(); // every command it sent is answered
        QCOMPARE(ordersIn(lab.writeDbPath()) - before, 6'000);
        QCOMPARE(traffic.stats().checkout.count(), 0);
        QCOMPARE(traffic.takeWindow().count(), 0);
        lab.close();
    }
};

QTEST_GUILESS_MAIN(TestFillOrders)
#include "tst_fillorders.moc"
