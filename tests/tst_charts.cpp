// TimeSeriesChart: a minute of 10 Hz samples is plotted with at most
// maxPoints points per series, and merging samples keeps every spike.
#include "ui/timeserieschart.h"

#include <QTest>

#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace cqrs::ui;

class TestCharts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aMinuteOfSamplesKeepsItsSpikesInFewerPoints()
    {
        TimeSeriesChart chart(QStringLiteral("lag"), QStringLiteral("ms"),
                              {{QStringLiteral("p50"), Qt::darkGreen, 2.0}, {QStringLiteral("p99"), Qt::red, 2.0}}, 60.0);
        chart.resize(800, 300);
        chart.show();
        // 60 s at 10 Hz, as the lag monitor sends them; one spike in p99.
        constexpr int samples = 600;
        constexpr int spikeAt = 333;
        for (int i = 0; i < samples; ++i)
            chart.addSample(i / 10.0, {1.0 + (i % 3), i == spikeAt ? 250.0 : 5.0});
        QTRY_VERIFY(chart.pointCount(1) > 0); // the next frame plots them
        QVERIFY2(chart.pointCount(1) <= TimeSeriesChart::maxPoints + 1, qPrintable(QString::number(chart.pointCount(1))));
        QVERIFY(chart.pointCount(1) >= TimeSeriesChart::maxPoints - 1);
        QCOMPARE(chart.pointCount(0), chart.pointCount(1));

        // The lone spike stays: drawn at the top of the axis, marked off
        // scale with its value, where it happened.
        const QList<QPointF> p99 = chart.points(1);
        const double top = chart.valueAxis()->max();
        QCOMPARE(top, 10.0);
        const auto spikes = std::count_if(p99.cbegin(), p99.cend(), [top](const QPointF& p) { return p.y() == top; });
        QCOMPARE(spikes, 1);
        QVERIFY2(chart.offScaleNote().contains(QStringLiteral("250 ms")), qPrintable(chart.offScaleNote()));
        // The spike stays where it happened: 333 of 599 tenths, i.e. 26.6 s
        // before the newest sample (within one 0.2 s slot).
        const auto spike = std::find_if(p99.cbegin(), p99.cend(), [top](const QPointF& p) { return p.y() == top; });
        QVERIFY2(std::abs(spike->x() - (spikeAt - (samples - 1)) / 10.0) <= 0.2, qPrintable(QString::number(spike->x())));
        // p50 keeps one of its slot's values (the largest), never a mean of them.
        const QList<QPointF> p50 = chart.points(0);
        QVERIFY(std::all_of(p50.cbegin(), p50.cend(), [](const QPointF& p) {
            return p.y() == 1.0 || p.y() == 2.0 || p.y() == 3.0;
        }));
        // The newest point is the newest sample.
        QCOMPARE(p99.last().x(), 0.0);
    }

    void fewSamplesArePlottedAsTheyAre()
    {
        TimeSeriesChart chart(QStringLiteral("revenue"), QString(), {{QStringLiteral("revenue"), Qt::blue, 2.0}}, 300.0);
        chart.show();
        // One sample a second in a five-minute window: no slot holds two.
        QList<double> times;
        QList<QList<double>> values;
        for (int s = 0; s < 120; ++s) {
            times.append(1000.0 + s);
            values.append(QList<double>{double(s)});
        }
        chart.setSamples(times, values, 1119.0);
        QTRY_COMPARE(chart.pointCount(0), 120);
        QCOMPARE(chart.points(0).first(), QPointF(-119.0, 0.0));
    }

    void aWindowWithoutMeasurementIsAGapNotZero()
    {
        TimeSeriesChart chart(QStringLiteral("checkout"), QStringLiteral("ms"), {{QStringLiteral("p50"), Qt::darkGreen, 2.0}}, 60.0);
        chart.resize(800, 300);
        chart.show();
        const double nan = std::nan("");
        // Measured for 5 s, nothing for 10 s, measured again for 5 s.
        for (int i = 0; i < 200; ++i)
            chart.addSample(i / 10.0, {i < 50 || i >= 150 ? 3.0 : nan});
        QTRY_COMPARE(chart.segmentCount(0), 2);
        const QList<QPointF> points = chart.points(0);
        QVERIFY(std::none_of(points.cbegin(), points.cend(), [](const QPointF& p) { return p.y() == 0.0; }));
        // A short pause (under TimeSeriesChart::maxJoinSeconds) joins up.
        TimeSeriesChart joined(QStringLiteral("checkout"), QStringLiteral("ms"), {{QStringLiteral("p50"), Qt::darkGreen, 2.0}}, 60.0);
        joined.show();
        for (int i = 0; i < 100; ++i)
            joined.addSample(i / 10.0, {i % 10 == 0 ? 3.0 : nan}); // one measurement a second
        QTRY_COMPARE(joined.pointCount(0), 10);
        QCOMPARE(joined.segmentCount(0), 1);
    }

    void anOutlierIsMarkedOffScaleAndTheAxisStaysReadable()
    {
        TimeSeriesChart chart(QStringLiteral("lag"), QStringLiteral("ms"),
                              {{QStringLiteral("p50"), Qt::darkGreen, 2.0}, {QStringLiteral("p99"), Qt::red, 2.0}}, 60.0);
        chart.resize(800, 300);
        chart.show();
        for (int i = 0; i < 600; ++i)
            chart.addSample(i / 10.0, {1.0, i == 400 ? 5'000'000.0 : 8.0});
        QTRY_VERIFY(chart.pointCount(1) > 0);
        QTRY_COMPARE(chart.valueAxis()->max(), 10.0);
        QVERIFY2(chart.offScaleNote().contains(QStringLiteral("5,000,000 ms")), qPrintable(chart.offScaleNote()));
        QVERIFY2(!chart.valueAxis()->labelFormat().contains(u'g'), qPrintable(chart.valueAxis()->labelFormat()));
        // The outlier is drawn at the top of the axis, where it happened.
        const QList<QPointF> p99 = chart.points(1);
        QCOMPARE(std::count_if(p99.cbegin(), p99.cend(), [](const QPointF& p) { return p.y() == 10.0; }), 1);
        // Gone from the window: no note, the axis as before.
        for (int i = 600; i < 1300; ++i)
            chart.addSample(i / 10.0, {1.0, 8.0});
        QTRY_VERIFY(chart.offScaleNote().isEmpty());
    }

    void longLagIsShownInSeconds()
    {
        TimeSeriesChart chart(QStringLiteral("lag"), QStringLiteral("ms"), {{QStringLiteral("behind"), Qt::blue, 2.0}}, 60.0);
        chart.resize(800, 300);
        chart.show();
        for (int i = 0; i < 300; ++i)
            chart.addSample(i / 10.0, {i * 100.0}); // a paused view: 30 s behind at the end
        QTRY_COMPARE(chart.scale().displayUnit, QStringLiteral("s"));
        QVERIFY(chart.valueAxis()->labelFormat().endsWith(QStringLiteral(" s")));
        QTRY_VERIFY(std::abs(chart.points(0).last().y() - 29.9) < 1e-9);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
