#pragma once

#include "read/queryresults.h"

#include <QChartView>

class QBarCategoryAxis;
class QBarSet;
class QValueAxis;

namespace cqrs::ui {

/// Revenue of the ten best-selling products, as horizontal bars, updated in
/// place from the ProductSales view.
class ProductSalesChart final : public QChartView
{
    Q_OBJECT

public:
    explicit ProductSalesChart(QWidget* parent = nullptr);
    void setRows(const QList<ProductSalesRow>& rows);
    int barCount() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitValueAxis();

    double m_top = 0;
    QBarSet* m_revenue = nullptr;
    QBarCategoryAxis* m_categories = nullptr;
    QValueAxis* m_values = nullptr;
    QStringList m_names;
};

} // namespace cqrs::ui
