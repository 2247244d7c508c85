#include "ui/productsaleschart.h"

#include "ui/chartscale.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

namespace {
constexpr int topCount = 10;
}

ProductSalesChart::ProductSalesChart(QWidget* parent)
    : QChartView(parent)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Top products by revenue"));
    chart->legend()->hide();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* series = new QHorizontalBarSeries(chart);
    m_revenue = new QBarSet(tr("Revenue"), series);
    m_revenue->setColor(QColor(0x2c, 0x6f, 0xbb));
    series->append(m_revenue);
    chart->addSeries(series);
    m_categories = new QBarCategoryAxis(chart);
    m_values = new QValueAxis(chart);
    m_values->setLabelFormat(QStringLiteral("%.0f"));
    m_values->setRange(0, 100);
    m_values->setTickInterval(25);
    m_values->setTickAnchor(0);
    m_values->setTickType(QValueAxis::TicksDynamic);
    chart->addAxis(m_categories, Qt::AlignLeft);
    chart->addAxis(m_values, Qt::AlignBottom);
    series->attachAxis(m_categories);
    series->attachAxis(m_values);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
}

void ProductSalesChart::setRows(const QList<ProductSalesRow>& rows)
{
    QList<ProductSalesRow> sorted = rows;
    std::sort(sorted.begin(), sorted.end(), [](const ProductSalesRow& a, const ProductSalesRow& b) {
        return a.revenueCents != b.revenueCents ? a.revenueCents > b.revenueCents : a.productId < b.productId;
    });
    if (sorted.size() > topCount)
        sorted.resize(topCount);
    std::reverse(sorted.begin(), sorted.end()); // best at the top of a horizontal chart
    QStringList names;
    QList<qreal> values;
    double top = 0;
    for (const ProductSalesRow& row : sorted) {
        names.append(row.name);
        values.append(row.revenueCents / 100.0);
        top = std::max(top, row.revenueCents / 100.0);
    }
    if (names != m_names) {
        m_names = names;
        m_categories->setCategories(names);
    }
    // Update the bars in place; only the ranking change above touches the axis.
    if (m_revenue->count() != values.size()) {
        m_revenue->remove(0, m_revenue->count());
        m_revenue->append(values);
    } else {
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (m_revenue->at(i) != values.at(i))
                m_revenue->replace(i, values.at(i));
        }
    }
    m_top = top;
    fitValueAxis();
}

void ProductSalesChart::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    fitValueAxis();
}

void ProductSalesChart::fitValueAxis()
{
    // As many labels as fit the width whole: long revenue figures elided to "1..." otherwise.
    const QFontMetrics metrics(m_values->labelsFont());
    const QString widest = QString::number(qint64(std::max(m_top, 1.0)));
    const int ticks = std::clamp(int(chart()->plotArea().width() / (metrics.horizontalAdvance(widest) * 1.8)), 1, 5);
    const ChartScale scale = ChartScale::fit(QList<double>{m_top}, QString(), ticks, m_values->max());
    // Ordered so that no step asks Qt Charts for more labels than either end.
    if (scale.tickInterval >= m_values->tickInterval()) {
        m_values->setTickInterval(scale.tickInterval);
        m_values->setRange(0, scale.top);
    } else {
        m_values->setRange(0, scale.top);
        m_values->setTickInterval(scale.tickInterval);
    }
    m_values->setLabelFormat(scale.labelFormat());
}

int ProductSalesChart::barCount() const { return int(m_revenue->count()); }

} // namespace cqrs::ui
