#include "ui/timeserieschart.h"

#include <QChart>
#include <QFontMetrics>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <cmath>

namespace cqrs::ui {

namespace {
const QColor offScaleColour(0x7b, 0x24, 0x1c);

double merged(double kept, double incoming)
{
    if (std::isnan(kept))
        return incoming;
    if (std::isnan(incoming))
        return kept;
    return std::max(kept, incoming);
}
} // namespace

TimeSeriesChart::TimeSeriesChart(const QString& title, const QString& unit, QList<SeriesSpec> series,
                                 double windowSeconds, QWidget* parent)
    : QChartView(parent)
    , m_unit(unit)
    , m_window(windowSeconds)
    , m_slotSeconds(windowSeconds / maxPoints)
{
    m_chart = new QChart;
    QChart* chart = m_chart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    m_x = new QValueAxis(chart);
    m_x->setRange(-m_window, 0);
    m_x->setLabelFormat(QStringLiteral("%.0f s"));
    m_x->setTickInterval(m_window / 6);
    m_x->setTickAnchor(0);
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_y = new QValueAxis(chart);
    m_y->setRange(0, m_scale.top);
    m_y->setTickInterval(m_scale.tickInterval);
    m_y->setTickAnchor(0);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setLabelFormat(m_scale.labelFormat());
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (const SeriesSpec& spec : series) {
        m_lines.append(Line{spec, true, {}});
        piece(m_lines.last(), 0);
    }
    // Values above the axis: a marker at the top where they happened.
    m_offScale = new QScatterSeries(chart);
    m_offScale->setName(tr("off scale"));
    m_offScale->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    m_offScale->setMarkerSize(9);
    m_offScale->setColor(offScaleColour);
    m_offScale->setBorderColor(offScaleColour);
    chart->addSeries(m_offScale);
    m_offScale->attachAxis(m_x);
    m_offScale->attachAxis(m_y);
    for (QLegendMarker* marker : chart->legend()->markers(m_offScale))
        marker->setVisible(false);
    m_note = new QGraphicsSimpleTextItem(chart);
    m_note->setBrush(offScaleColour);
    m_note->setZValue(10);
    m_centreNote = new QGraphicsSimpleTextItem(chart);
    m_centreNote->setBrush(QColor(0x5f, 0x6a, 0x6a));
    m_centreNote->setZValue(10);
    m_centreNote->setVisible(false);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(m_baseMinimumHeight);
    setChartFont(font());
    // Frames are paced here, not by the data rate.
    m_frame.setInterval(33);
    connect(&m_frame, &QTimer::timeout, this, &TimeSeriesChart::refresh);
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        updateTicks();
        placeNote();
    });
    m_frame.start();
}

QLineSeries* TimeSeriesChart::piece(Line& line, size_t index)
{
    while (line.pieces.size() <= index) {
        auto* series = new QLineSeries(m_chart);
        QPen pen(line.spec.color);
        pen.setWidthF(line.spec.width);
        series->setPen(pen);
        series->setColor(line.spec.color);
        series->setName(line.spec.name);
        series->setUseOpenGL(false);
        series->setVisible(line.visible);
        m_chart->addSeries(series);
        series->attachAxis(m_x);
        series->attachAxis(m_y);
        if (!line.pieces.empty()) {
            for (QLegendMarker* marker : m_chart->legend()->markers(series))
                marker->setVisible(false);
        }
        line.pieces.push_back(series);
    }
    return line.pieces[index];
}

void TimeSeriesChart::addSample(double seconds, const QList<double>& values)
{
    m_fixedNow = false;
    m_dirty = true;
    const auto slot = qint64(std::floor(seconds / m_slotSeconds));
    if (!m_samples.empty() && m_samples.back().slot == slot) {
        Sample& last = m_samples.back();
        last.t = seconds; // the line still ends at the newest sample
        for (qsizetype s = 0; s < values.size(); ++s) {
            if (s < last.values.size())
                last.values[s] = merged(last.values[s], values.at(s));
            else
                last.values.append(values.at(s));
        }
        return;
    }
    m_samples.push_back({seconds, slot, values});
    while (!m_samples.empty() && m_samples.front().t < seconds - m_window - 1)
        m_samples.pop_front();
}

void TimeSeriesChart::setSamples(const QList<double>& times, const QList<QList<double>>& values, double now)
{
    m_samples.clear();
    for (qsizetype i = 0; i < times.size() && i < values.size(); ++i) {
        if (times.at(i) >= now - m_window - 1)
            m_samples.push_back({times.at(i), qint64(std::floor(times.at(i) / m_slotSeconds)), values.at(i)});
    }
    m_now = now;
    m_fixedNow = true;
    m_dirty = true;
}

void TimeSeriesChart::clear()
{
    m_samples.clear();
    m_fixedNow = false;
    m_scale = ChartScale();
    m_dirty = true;
}

void TimeSeriesChart::setSeriesVisible(int series, bool visible)
{
    if (series < 0 || series >= m_lines.size())
        return;
    m_lines[series].visible = visible;
    for (QLineSeries* piece : m_lines[series].pieces)
        piece->setVisible(visible);
    m_dirty = true;
}

void TimeSeriesChart::setSeriesName(int series, const QString& name)
{
    if (series < 0 || series >= m_lines.size())
        return;
    m_lines[series].spec.name = name;
    for (QLineSeries* piece : m_lines[series].pieces)
        piece->setName(name);
}

void TimeSeriesChart::setChartFont(const QFont& font)
{
    QFont title = font;
    title.setBold(true);
    m_chart->setTitleFont(title);
    m_chart->legend()->setFont(font);
    for (QAbstractAxis* axis : m_chart->axes())
        axis->setLabelsFont(font);
    m_note->setFont(font);
    m_centreNote->setFont(font);
    // Tall enough for the legend's entries at this font, plus a plot.
    const QFontMetrics metrics(font);
    setMinimumHeight(std::max(m_baseMinimumHeight, int(m_lines.size() + 2) * metrics.lineSpacing() + 3 * metrics.height()));
    updateTicks();
    placeNote();
}

void TimeSeriesChart::setNote(const QString& note)
{
    m_centreNote->setText(note);
    m_centreNote->setVisible(!note.isEmpty());
    placeNote();
}

QString TimeSeriesChart::note() const { return m_centreNote->isVisible() ? m_centreNote->text() : QString(); }

void TimeSeriesChart::setBaseMinimumHeight(int height)
{
    m_baseMinimumHeight = height;
    setMinimumHeight(std::max(minimumHeight(), height));
}

int TimeSeriesChart::pointCount(int series) const { return int(points(series).size()); }

QList<QPointF> TimeSeriesChart::points(int series) const
{
    QList<QPointF> all;
    if (series < 0 || series >= m_lines.size())
        return all;
    for (const QLineSeries* piece : m_lines.at(series).pieces)
        all.append(piece->points());
    return all;
}

int TimeSeriesChart::segmentCount(int series) const
{
    if (series < 0 || series >= m_lines.size())
        return 0;
    int count = 0;
    for (const QLineSeries* piece : m_lines.at(series).pieces)
        count += piece->count() > 0 ? 1 : 0;
    return count;
}

QString TimeSeriesChart::offScaleNote() const { return m_note->isVisible() ? m_note->text() : QString(); }

void TimeSeriesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    updateTicks();
}

int TimeSeriesChart::valueTickBudget() const
{
    // A label every ~2.5 lines up the axis: more would be elided.
    const QFontMetrics metrics(m_y->labelsFont());
    return std::clamp(int(m_chart->plotArea().height() / (metrics.height() * 2.5)), 1, 6);
}

void TimeSeriesChart::updateTicks()
{
    // Along the time axis, a label every ~2 label widths.
    const QFontMetrics metrics(m_x->labelsFont());
    const int ticks = std::clamp(
        int(m_chart->plotArea().width() / (metrics.horizontalAdvance(QStringLiteral("-60 s")) * 2)), 1, 6);
    const double interval = niceCeiling(m_window / ticks);
    if (m_x->tickInterval() != interval)
        m_x->setTickInterval(interval);
    m_dirty = true; // the value axis follows in the next frame
}

void TimeSeriesChart::placeNote()
{
    const QRectF plot = m_chart->plotArea();
    const QRectF box = m_note->boundingRect();
    m_note->setPos(plot.right() - box.width() - 4, plot.top() + 2);
    const QRectF centre = m_centreNote->boundingRect();
    m_centreNote->setPos(plot.center().x() - centre.width() / 2, plot.center().y() - centre.height() / 2);
}

void TimeSeriesChart::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    const double now = m_fixedNow ? m_now : (m_samples.empty() ? 0 : m_samples.back().t);

    QList<ChartScale::Value> onScreen;
    for (qsizetype s = 0; s < m_lines.size(); ++s) {
        if (!m_lines.at(s).visible)
            continue;
        for (const Sample& sample : m_samples) {
            if (s < sample.values.size() && std::isfinite(sample.values.at(s)) && sample.t >= now - m_window)
                onScreen.append({sample.values.at(s), sample.slot});
        }
    }
    m_scale = ChartScale::fit(onScreen, m_unit, valueTickBudget(), m_scale.top);
    const double top = m_scale.top;
    const double divisor = m_scale.divisor;

    QList<QPointF> offScale;
    for (Line& line : m_lines) {
        const qsizetype s = &line - m_lines.data();
        // Cut the series into pieces wherever it was not measured for long.
        std::vector<QList<QPointF>> pieces(1);
        double lastT = 0;
        bool any = false;
        for (const Sample& sample : m_samples) {
            if (s >= sample.values.size() || !std::isfinite(sample.values.at(s)))
                continue;
            if (any && sample.t - lastT > maxJoinSeconds && !pieces.back().isEmpty())
                pieces.emplace_back();
            const double value = sample.values.at(s);
            const double x = sample.t - now;
            pieces.back().append({x, std::min(value, top) / divisor});
            if (value > top && line.visible)
                offScale.append({x, top / divisor});
            lastT = sample.t;
            any = true;
        }
        for (size_t p = 0; p < std::max(pieces.size(), line.pieces.size()); ++p) {
            QLineSeries* series = p < pieces.size() || p == 0 ? piece(line, p) : line.pieces[p];
            const QList<QPointF> points = p < pieces.size() ? pieces[p] : QList<QPointF>();
            // A lone measurement has no line to draw: show it as a dot.
            series->setPointsVisible(points.size() == 1);
            series->replace(points);
        }
    }
    // With dynamic ticks Qt lays out range / interval labels at every step:
    // order the two changes so no step in between asks for millions.
    const double shownTop = top / divisor;
    if (m_scale.tickInterval >= m_y->tickInterval()) {
        if (m_y->tickInterval() != m_scale.tickInterval)
            m_y->setTickInterval(m_scale.tickInterval);
        if (m_y->max() != shownTop || m_y->min() != 0)
            m_y->setRange(0, shownTop);
    } else {
        if (m_y->max() != shownTop || m_y->min() != 0)
            m_y->setRange(0, shownTop);
        m_y->setTickInterval(m_scale.tickInterval);
    }
    if (m_y->labelFormat() != m_scale.labelFormat())
        m_y->setLabelFormat(m_scale.labelFormat());
    m_offScale->replace(offScale);
    if (m_scale.offScale > 0) {
        m_note->setText(tr("▲ %n value(s) off scale, up to %1", nullptr, m_scale.offScale)
                            .arg(m_scale.format(m_scale.offScaleMax)));
        m_note->setVisible(true);
        placeNote();
    } else {
        m_note->setVisible(false);
    }
    ++m_frames;
}

} // namespace cqrs::ui
