#include "ui/windowzoom.h"

#include "ui/timeserieschart.h"

#include <QApplication>
#include <QChart>
#include <QHeaderView>
#include <QLegend>
#include <QMainWindow>
#include <QScreen>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>

namespace cqrs::ui {

WindowZoom::WindowZoom(QMainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_base(QApplication::font())
{
}

WindowZoom::~WindowZoom()
{
    if (QApplication::font() != m_base)
        QApplication::setFont(m_base);
}

void WindowZoom::setFactor(double factor)
{
    factor = std::clamp(factor, minFactor, maxFactor);
    if (qFuzzyCompare(factor, m_factor))
        return;
    m_factor = factor;
    reapply();
    Q_EMIT changed(m_factor);
}

void WindowZoom::reapply()
{
    QFont scaled = m_base;
    const double base = m_base.pointSizeF() > 0 ? m_base.pointSizeF() : 10.0;
    scaled.setPointSizeF(base * m_factor);
    // Every widget without a font of its own follows the application font:
    // menus, dialogs, tooltips and headers included.
    if (QApplication::font() != scaled)
        QApplication::setFont(scaled);
    // Charts draw their own text.
    for (QChartView* view : m_window->findChildren<QChartView*>()) {
        if (auto* series = qobject_cast<TimeSeriesChart*>(view)) {
            series->setChartFont(scaled);
            continue;
        }
        QFont title = scaled;
        title.setBold(true);
        view->chart()->setTitleFont(title);
        view->chart()->legend()->setFont(scaled);
        for (QAbstractAxis* axis : view->chart()->axes())
            axis->setLabelsFont(scaled);
    }
    const int rowHeight = QFontMetrics(scaled).height() + 6;
    for (QTableView* table : m_window->findChildren<QTableView*>())
        table->verticalHeader()->setDefaultSectionSize(rowHeight);
    // Layouts settle in the next pass of the event loop.
    QTimer::singleShot(0, this, &WindowZoom::fitIntoScreen);
}

void WindowZoom::fitIntoScreen()
{
    QScreen* screen = m_window->screen();
    if (!screen || m_window->isFullScreen() || m_window->isMaximized())
        return;
    const QRect available = screen->availableGeometry();
    const QRect frame = m_window->frameGeometry();
    const QSize decoration = frame.size() - m_window->geometry().size();
    QRect wanted = m_window->geometry();
    wanted.setWidth(std::min(wanted.width(), available.width() - decoration.width()));
    wanted.setHeight(std::min(wanted.height(), available.height() - decoration.height()));
    if (wanted.size() != m_window->size())
        m_window->resize(wanted.size());
    // Then move it back in if it hangs over an edge.
    QRect moved = m_window->frameGeometry();
    if (moved.right() > available.right())
        moved.moveRight(available.right());
    if (moved.bottom() > available.bottom())
        moved.moveBottom(available.bottom());
    moved.moveLeft(std::max(moved.left(), available.left()));
    moved.moveTop(std::max(moved.top(), available.top()));
    if (moved.topLeft() != m_window->frameGeometry().topLeft())
        m_window->move(moved.topLeft());
}

} // namespace cqrs::ui
