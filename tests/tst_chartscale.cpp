// ChartScale: the y axis of the live charts. One outlier goes off scale
// instead of flattening a minute of real lag; labels are fixed-point, never
// scientific; milliseconds turn into seconds past 10 s.
#include "ui/chartscale.h"

#include <QTest>

#include <cmath>

using namespace cqrs::ui;

class TestChartScale final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void oneOutlierGoesOffScale()
    {
        QList<double> values(600, 4.0);
        values[300] = 5'000'000; // a replayed event's "latency": the age of the log
        const ChartScale scale = ChartScale::fit(values, QStringLiteral("ms"), 5);
        QCOMPARE(scale.top, 5.0);
        QCOMPARE(scale.offScale, 1);
        QCOMPARE(scale.offScaleMax, 5'000'000.0);
        QCOMPARE(scale.displayUnit, QStringLiteral("ms"));
        QCOMPARE(scale.format(scale.offScaleMax), QStringLiteral("5,000,000 ms"));
    }

    void aFewOutliersTooButNotARealClimb()
    {
        // Several series spiking at the same moment (a stall every view felt).
        QList<ChartScale::Value> values;
        for (int i = 0; i < 600; ++i)
            values.append({i == 100 ? 900.0 : 2.0, i});
        for (int series = 0; series < 4; ++series)
            values.append({880.0, 100});
        ChartScale scale = ChartScale::fit(values, QStringLiteral("ms"), 5);
        QCOMPARE(scale.offScale, 5);
        QVERIFY(scale.top <= 5);

        // A p99 held for the seconds of its sliding window is a plateau, not
        // an outlier: it stays on scale next to a p50 far below it.
        QList<ChartScale::Value> plateau;
        for (int i = 0; i < 14; ++i)
            plateau.append({8.9, i});
        for (int i = 0; i < 14; ++i)
            plateau.append({0.4, i});
        for (int i = 0; i < 500; ++i)
            plateau.append({0.0, i});
        const ChartScale held = ChartScale::fit(plateau, QStringLiteral("ms"), 5);
        QCOMPARE(held.offScale, 0);
        QCOMPARE(held.top, 10.0);

        // A paused view: its lag climbs steadily. That is the signal, all of it on scale.
        QList<double> climbing;
        for (int i = 0; i < 600; ++i)
            climbing.append(i * 50.0);
        scale = ChartScale::fit(climbing, QStringLiteral("ms"), 5);
        QCOMPARE(scale.offScale, 0);
        QVERIFY(scale.top >= 599 * 50.0);
        QCOMPARE(scale.displayUnit, QStringLiteral("s")); // 30 s of lag reads in seconds
        QCOMPARE(scale.divisor, 1000.0);
    }

    void aLoneMeasurementOnAnIdleChartIsTheSignal()
    {
        QList<double> values(600, 0.0);
        values[10] = 2000;
        const ChartScale scale = ChartScale::fit(values, QStringLiteral("ms"), 5);
        QCOMPARE(scale.offScale, 0);
        QCOMPARE(scale.top, 5000.0);
    }

    void labelsAreNeverScientific_data()
    {
        QTest::addColumn<double>("largest");
        QTest::newRow("tiny") << 0.05;
        QTest::newRow("ms") << 7.5;
        QTest::newRow("hundreds") << 420.0;
        QTest::newRow("seconds") << 9'500.0;
        QTest::newRow("minutes") << 3'600'000.0;
        QTest::newRow("log age") << 5e9;
    }

    void labelsAreNeverScientific()
    {
        QFETCH(double, largest);
        const ChartScale scale = ChartScale::fit(QList<double>{largest * 0.5, largest}, QStringLiteral("ms"), 5);
        const QString format = scale.labelFormat();
        QVERIFY2(format.contains(QLatin1String("f")) && !format.contains(QLatin1String("g")) && !format.contains(QLatin1String("e")),
                 qPrintable(format));
        QVERIFY(scale.top >= largest);
        const double shownTop = scale.top / scale.divisor;
        QVERIFY2(shownTop / scale.tickInterval <= 5 + 1e-9, qPrintable(QString::number(scale.tickInterval)));
        const QString label = QString::asprintf(qPrintable(format), shownTop);
        QVERIFY2(!label.contains(u'e'), qPrintable(label));
    }

    void theAxisShrinksOnlyWhenFarTooTall()
    {
        const ChartScale tall = ChartScale::fit(QList<double>{90.0}, QStringLiteral("ms"), 5);
        QCOMPARE(tall.top, 100.0);
        QCOMPARE(ChartScale::fit(QList<double>{40.0}, QStringLiteral("ms"), 5, tall.top).top, 100.0);
        QCOMPARE(ChartScale::fit(QList<double>{10.0}, QStringLiteral("ms"), 5, tall.top).top, 20.0);
        QCOMPARE(ChartScale::fit(QList<double>{300.0}, QStringLiteral("ms"), 5, tall.top).top, 500.0);
    }

    void gapsAndEmptyCharts()
    {
        const ChartScale empty = ChartScale::fit(QList<double>{}, QStringLiteral("ms"), 5);
        QCOMPARE(empty.top, 1.0);
        QCOMPARE(empty.offScale, 0);
        const ChartScale withGaps = ChartScale::fit(QList<double>{std::nan(""), 3.0, std::nan("")}, QStringLiteral("ms"), 5);
        QCOMPARE(withGaps.top, 5.0);
    }
};

QTEST_MAIN(TestChartScale)
#include "tst_chartscale.moc"
