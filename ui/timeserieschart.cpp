#include "ui/timeserieschart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace cqrs::ui {

namespace {
// Round an axis maximum up to 1, 2 or 5 times a power of ten.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * power)
            return step * power;
    }
    return 10 * power;
}
} // namespace

TimeSeriesChart::TimeSeriesChart(const QString& title, const QString& unit, QList<SeriesSpec> series,
                                 double windowSeconds, QWidget* parent)
    : QChartView(parent)
    , m_unit(unit)
    , m_window(windowSeconds)
    , m_slotSeconds(windowSeconds / maxPoints)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setAnimationOptions(QChart::NoAnimation);
    m_x = new QValueAxis(chart);
    m_x->setRange(-m_window, 0);
    m_x->setLabelFormat(QStringLiteral("%.0f s"));
    m_x->setTickCount(7);
    m_y = new QValueAxis(chart);
    m_y->setRange(0, 10);
    m_y->setLabelFormat(QStringLiteral("%g ") + unit);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    for (const SeriesSpec& spec : series) {
        auto* line = new QLineSeries(chart);
        line->setName(spec.name);
        QPen pen(spec.color);
        pen.setWidthF(spec.width);
        line->setPen(pen);
        line->setUseOpenGL(false);
        chart->addSeries(line);
        line->attachAxis(m_x);
        line->attachAxis(m_y);
        m_series.append(line);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    // Frames are paced here, not by the data rate.
    m_frame.setInterval(33);
    connect(&m_frame, &QTimer::timeout, this, &TimeSeriesChart::refresh);
    m_frame.start();
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
                last.values[s] = std::max(last.values[s], values.at(s));
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

void TimeSeriesChart::setSeriesVisible(int series, bool visible)
{
    if (series >= 0 && series < m_series.size())
        m_series.at(series)->setVisible(visible);
}

void TimeSeriesChart::setSeriesName(int series, const QString& name)
{
    if (series >= 0 && series < m_series.size())
        m_series.at(series)->setName(name);
}

int TimeSeriesChart::pointCount(int series) const
{
    return series >= 0 && series < m_series.size() ? int(m_series.at(series)->count()) : 0;
}

QList<QPointF> TimeSeriesChart::points(int series) const
{
    return series >= 0 && series < m_series.size() ? m_series.at(series)->points() : QList<QPointF>();
}

void TimeSeriesChart::refresh()
{
    if (!m_dirty)
        return;
    m_dirty = false;
    const double now = m_fixedNow ? m_now : (m_samples.empty() ? 0 : m_samples.back().t);
    double top = 0;
    for (qsizetype s = 0; s < m_series.size(); ++s) {
        QList<QPointF> points;
        points.reserve(qsizetype(m_samples.size()));
        for (const Sample& sample : m_samples) {
            if (s < sample.values.size()) {
                const double value = sample.values.at(s);
                points.append({sample.t - now, value});
                if (m_series.at(s)->isVisible())
                    top = std::max(top, value);
            }
        }
        m_series.at(s)->replace(points);
    }
    const double wanted = niceCeiling(std::max(1.0, top * 1.1));
    // Grow at once, shrink only when far too tall, so the axis does not flicker.
    if (wanted > m_y->max() || wanted < m_y->max() / 4)
        m_y->setRange(0, wanted);
    ++m_frames;
}

} // namespace cqrs::ui
