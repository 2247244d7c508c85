// TimeSeriesChart: a minute of 10 Hz samples is plotted with at most
// maxPoints points per series, and merging samples keeps every spike.
#include "ui/timeserieschart.h"

#include <QTest>

#include <algorithm>

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

        const QList<QPointF> p99 = chart.points(1);
        const auto spikes = std::count_if(p99.cbegin(), p99.cend(), [](const QPointF& p) { return p.y() == 250.0; });
        QCOMPARE(spikes, 1);
        // The spike stays where it happened: 333 of 599 tenths, i.e. 26.6 s
        // before the newest sample (within one 0.2 s slot).
        const auto spike = std::find_if(p99.cbegin(), p99.cend(), [](const QPointF& p) { return p.y() == 250.0; });
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
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
