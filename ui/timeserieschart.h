#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QTimer>

#include <deque>

class QLineSeries;
class QValueAxis;

namespace cqrs::ui {

/// A scrolling line chart of the last N seconds. Samples go into a ring
/// buffer; the series are replaced at most once per frame (and only when
/// something changed), never cleared and re-appended point by point.
///
/// A series holds at most `maxPoints` points per window: samples that fall
/// into the same slot of window / maxPoints seconds (0.2 s for a minute) are
/// merged, keeping each series' largest value, so a latency spike is never
/// averaged away. Laying out and painting a line costs Qt Charts time in
/// proportion to its points, and a slot is still about 3 px wide.
class TimeSeriesChart final : public QChartView
{
    Q_OBJECT

public:
    struct SeriesSpec
    {
        QString name;
        QColor color;
        /// Series are told apart by colour and width, never by a dash
        /// pattern: an antialiased dashed line of 600 points costs Qt Charts
        /// ~5× a solid one to lay out and paint (~20 ms more per frame for
        /// the lag chart's five views, measured on the 2-core machine).
        qreal width = 2.0;
    };

    static constexpr int maxPoints = 300;

    TimeSeriesChart(const QString& title, const QString& unit, QList<SeriesSpec> series,
                    double windowSeconds = 60.0, QWidget* parent = nullptr);

    /// One sample per series at time `seconds` (any monotonic origin).
    void addSample(double seconds, const QList<double>& values);
    /// Replaces every sample; x is plotted relative to `now`.
    void setSamples(const QList<double>& times, const QList<QList<double>>& values, double now);
    void setSeriesVisible(int series, bool visible);
    void setSeriesName(int series, const QString& name);
    /// Points currently plotted in `series` (for tests).
    int pointCount(int series) const;
    QList<QPointF> points(int series) const;
    /// Frames drawn so far (for tests and the benchmark).
    qint64 framesDrawn() const { return m_frames; }

private:
    void refresh();

    QList<QLineSeries*> m_series;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QString m_unit;
    double m_window;
    double m_slotSeconds;
    struct Sample
    {
        double t;
        qint64 slot; ///< floor(t / m_slotSeconds): samples of one slot merge
        QList<double> values;
    };
    std::deque<Sample> m_samples;
    bool m_dirty = false;
    double m_now = 0;
    bool m_fixedNow = false;
    QTimer m_frame;
    qint64 m_frames = 0;
};

} // namespace cqrs::ui
