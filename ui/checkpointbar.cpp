#include "ui/checkpointbar.h"

#include "util/money.h"

#include <QPainter>

#include <algorithm>

namespace cqrs::ui {

CheckpointBar::CheckpointBar(QWidget* parent)
    : QProgressBar(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent); // paintEvent() covers every pixel
    setTextVisible(true);
}

void CheckpointBar::showProgress(qint64 checkpoint, qint64 head) {
    const qint64 top = std::max<qint64>(head, 1);
    const int scale = top > 1'000'000'000 ? 1000 : 1;
    setUpdatesEnabled(false);
    setRange(0, int(top / scale));
    setValue(int(std::min(checkpoint, top) / scale));
    setFormat(formatCount(checkpoint));
    setUpdatesEnabled(true);
}

void CheckpointBar::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    const QRect frame = rect();
    const QPalette& colors = palette();
    painter.fillRect(frame, colors.color(QPalette::Base));
    painter.setPen(colors.color(QPalette::Mid));
    painter.drawRect(frame.adjusted(0, 0, -1, -1));
    const QRect inside = frame.adjusted(1, 1, -1, -1);
    const qint64 range = qint64(maximum()) - minimum();
    // A reset bar holds minimum() - 1: nothing filled, not a negative width.
    const qint64 done = std::clamp<qint64>(qint64(value()) - minimum(), 0, range);
    const int filled = range > 0 ? int(inside.width() * done / range) : 0;
    const QRect chunk(inside.topLeft(), QSize(filled, inside.height()));
    painter.fillRect(chunk,
                     isEnabled() ? colors.color(QPalette::Highlight) : colors.color(QPalette::Mid));
    if (!isTextVisible())
        return;
    // The text changes colour where the chunk ends, as the style's does.
    const QString label = text();
    painter.setClipRect(chunk);
    painter.setPen(colors.color(QPalette::HighlightedText));
    painter.drawText(frame, Qt::AlignCenter, label);
    painter.setClipRect(
        QRect(chunk.right() + 1, frame.top(), frame.width() - filled, frame.height()));
    painter.setPen(colors.color(QPalette::Text));
    painter.drawText(frame, Qt::AlignCenter, label);
}

} // namespace cqrs::ui
