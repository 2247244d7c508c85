#include "ui/receiptwaterfall.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace cqrs::ui {

ReceiptWaterfall::ReceiptWaterfall(QWidget* parent)
    : QWidget(parent) {
    setAccessibleName(tr("Receipt waterfall"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ReceiptWaterfall::setRows(const QList<Row>& rows) {
    m_rows = rows;
    QStringList lines;
    for (const Row& row : rows)
        lines << QStringLiteral("%1: %2").arg(row.label, row.text);
    setAccessibleDescription(lines.join(QStringLiteral("; ")));
    updateGeometry();
    update();
}

int ReceiptWaterfall::rowHeight() const {
    return fontMetrics().height() + 8;
}

int ReceiptWaterfall::labelWidth() const {
    int width = 0;
    for (const Row& row : m_rows)
        width = std::max(width, fontMetrics().horizontalAdvance(row.label));
    return width + 12;
}

QSize ReceiptWaterfall::sizeHint() const {
    return {labelWidth() + 420, int(m_rows.size() + 1) * rowHeight() + 6};
}

QSize ReceiptWaterfall::minimumSizeHint() const {
    return {labelWidth() + 200, int(m_rows.size() + 1) * rowHeight() + 6};
}

void ReceiptWaterfall::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QPalette& colors = palette();
    const QFontMetrics metrics = fontMetrics();
    const int left = labelWidth();
    const int textRoom =
        metrics.horizontalAdvance(QStringLiteral("not applied yet: 99,999 ms")) / 2;
    const int right = width() - 8 - textRoom;
    const int h = rowHeight();

    double maxMs = 0;
    for (const Row& row : m_rows) {
        maxMs =
            std::max({maxMs, row.startMs.value_or(0), row.endMs.value_or(row.startMs.value_or(0))});
    }
    // A round end for the axis, so its labels read easily.
    double axis = 1;
    while (axis < maxMs)
        axis *= axis < 10 ? 2 : 2.5;
    const auto xOf = [&](double ms) {
        return left + (right - left) * std::clamp(ms / axis, 0.0, 1.0);
    };

    painter.setPen(colors.color(QPalette::Mid));
    for (int tick = 0; tick <= 4; ++tick) {
        const double x = xOf(axis * tick / 4);
        painter.drawLine(QPointF(x, 2), QPointF(x, h * m_rows.size()));
    }
    painter.setPen(colors.color(QPalette::WindowText));
    for (int tick = 0; tick <= 4; ++tick) {
        const double ms = axis * tick / 4;
        const QString label =
            tick == 4 ? tr("%1 ms after submit").arg(ms, 0, 'g', 4) : QString::number(ms, 'g', 4);
        const double x = xOf(ms);
        const int w = metrics.horizontalAdvance(label);
        painter.drawText(QPointF(std::clamp(x - w / 2.0, 0.0, double(width() - w)),
                                 h * m_rows.size() + metrics.ascent() + 4),
                         label);
    }

    for (int i = 0; i < m_rows.size(); ++i) {
        const Row& row = m_rows.at(i);
        const int top = i * h;
        QFont font = painter.font();
        font.setBold(row.highlighted);
        painter.setFont(font);
        painter.setPen(colors.color(QPalette::WindowText));
        painter.drawText(QRect(0, top, left - 6, h), Qt::AlignRight | Qt::AlignVCenter, row.label);
        painter.setFont(this->font());
        double textX = left + 4;
        if (row.startMs) {
            const double x0 = xOf(*row.startMs);
            const double x1 = row.endMs ? std::max(x0 + 3, xOf(*row.endMs)) : right;
            const QRectF bar(x0, top + 4, x1 - x0, h - 8);
            if (row.endMs) {
                painter.fillRect(bar, row.highlighted ? colors.color(QPalette::Highlight)
                                                      : QColor(0x2c, 0x6f, 0xbb));
            } else {
                // Still under way: an open bar up to now.
                painter.setPen(QPen(QColor(0xb3, 0x6b, 0x00), 1, Qt::DashLine));
                painter.drawRect(bar);
            }
            textX = x1 + 6;
        }
        painter.setPen(colors.color(QPalette::WindowText));
        const QString text =
            metrics.elidedText(row.text, Qt::ElideRight, std::max(0, width() - int(textX) - 2));
        painter.drawText(QRectF(textX, top, width() - textX, h), Qt::AlignLeft | Qt::AlignVCenter,
                         text);
    }
}

} // namespace cqrs::ui
