#pragma once

#include "ui/chartscale.h"

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QTimer>

#include <deque>
#include <vector>

class QChart;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QScatterSeries;
class QValueAxis;

namespace cqrs::ui {

/// A scrolling line chart of the last N seconds. Samples go into a ring
/// buffer; the series are replaced at most once per frame (and only when
/// something changed), never cleared and re-appended point by point.
///
/// A series holds at most `maxPoints` points per window: samples that fall
/// into the same slot of window / maxPoints seconds are merged, keeping each
/// series' largest value, so a spike is never averaged away. A NaN value
/// means "not measured": where a series has no measurement for longer than
/// `maxJoinSeconds`, its line breaks instead of pretending a value. The y
/// axis follows ChartScale: outliers are clamped to the top and marked.
class TimeSeriesChart final : public QChartView
{
    Q_OBJECT

public:
    struct SeriesSpec
    {
        QString name;
        QColor color;
        /// Series are told apart by colour and width, never by a dash
        /// pattern, which Qt Charts lays out and paints several times slower.
        qreal width = 2.0;
    };

    static constexpr int maxPoints = 300;
    static constexpr double maxJoinSeconds = 2.0;

    TimeSeriesChart(const QString& title, const QString& unit, QList<SeriesSpec> series,
                    double windowSeconds = 60.0, QWidget* parent = nullptr);

    /// One sample per series at time `seconds` (any monotonic origin); NaN: not measured.
    void addSample(double seconds, const QList<double>& values);
    /// Replaces every sample; x is plotted relative to `now`.
    void setSamples(const QList<double>& times, const QList<QList<double>>& values, double now);
    /// Forgets every sample (a new store, a reset).
    void clear();
    void setSeriesVisible(int series, bool visible);
    void setSeriesName(int series, const QString& name);
    /// Title, legend and axis labels in `font` (zoom, presenter mode); the
    /// chart grows as tall as its legend then needs.
    void setChartFont(const QFont& font);
    /// The least height at the normal font.
    void setBaseMinimumHeight(int height);
    /// A sentence across the plot, e.g. why the chart shows nothing now (empty: none).
    void setNote(const QString& note);
    QString note() const;

    /// For tests: points plotted in `series` over all its line pieces, as
    /// drawn (off-scale values at the top), oldest first; and the pieces.
    int pointCount(int series) const;
    QList<QPointF> points(int series) const;
    int segmentCount(int series) const;
    const ChartScale& scale() const { return m_scale; }
    /// The note shown while values are off scale (empty when none are).
    QString offScaleNote() const;
    QValueAxis* valueAxis() const { return m_y; }
    QValueAxis* timeAxis() const { return m_x; }
    /// Frames drawn so far (for tests and the benchmark).
    qint64 framesDrawn() const { return m_frames; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Line
    {
        SeriesSpec spec;
        bool visible = true;
        std::vector<QLineSeries*> pieces; // pieces[0] carries the legend entry
    };
    void refresh();
    QLineSeries* piece(Line& line, size_t index);
    int valueTickBudget() const;
    void updateTicks();
    void placeNote();

    QChart* m_chart = nullptr;
    QList<Line> m_lines;
    QScatterSeries* m_offScale = nullptr;
    QGraphicsSimpleTextItem* m_note = nullptr;
    QGraphicsSimpleTextItem* m_centreNote = nullptr;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    QString m_unit;
    double m_window;
    double m_slotSeconds;
    int m_baseMinimumHeight = 150;
    ChartScale m_scale;
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
