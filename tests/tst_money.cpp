#include "util/money.h"

#include <QTest>

using namespace cqrs;

class TestMoney final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatsCents_data()
    {
        QTest::addColumn<qint64>("cents");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0.00");
        QTest::newRow("small") << qint64(5) << QStringLiteral("0.05");
        QTest::newRow("mug") << qint64(950) << QStringLiteral("9.50");
        QTest::newRow("thousands") << qint64(123456) << QStringLiteral("1,234.56");
        QTest::newRow("millions") << qint64(200000000) << QStringLiteral("2,000,000.00");
        QTest::newRow("negative") << qint64(-1999) << QStringLiteral("-19.99");
        QTest::newRow("min") << std::numeric_limits<qint64>::min()
                             << QStringLiteral("-92,233,720,368,547,758.08");
    }
    void formatsCents()
    {
        QFETCH(qint64, cents);
        QFETCH(QString, text);
        QCOMPARE(formatCents(cents), text);
    }

    void formatsCounts()
    {
        QCOMPARE(formatCount(0), QStringLiteral("0"));
        QCOMPARE(formatCount(999), QStringLiteral("999"));
        QCOMPARE(formatCount(1204), QStringLiteral("1,204"));
        QCOMPARE(formatCount(-1234567), QStringLiteral("-1,234,567"));
    }
};

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
